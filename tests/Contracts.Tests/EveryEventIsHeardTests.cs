using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Activities;
using PracticeMesh.Assessment;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid;
using PracticeMesh.Identity;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Stations;
using PracticeMesh.Volunteers;

namespace PracticeMesh.Contracts.Tests;

/// <summary>
/// An event a service relies on must be heard: every event in Contracts has a consumer registered by some service's
/// module, or says it is published for partner systems only.
/// </summary>
public sealed class EveryEventIsHeardTests
{
    /// <summary>The modules the standalone host runs: every service of the platform.</summary>
    private static readonly IServiceModule[] Modules =
        [new IdentityModule(), new StationsModule(), new VolunteersModule(), new ActivitiesModule(), new GridModule(), new AssessmentModule()];

    private static readonly Type[] EventTypes = [.. typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))];

    /// <summary>The message types of the consumers the modules register with the bus.</summary>
    private static HashSet<Type> Consumed()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            foreach (var module in Modules)
            {
                module.AddConsumers(bus);
            }
            // What the shared wiring adds for every module's database (AccessRevoked).
            bus.AddAccessRevocationConsumer<PracticeMesh.Identity.Data.IdentityDbContext>("identity");
        });
        return [.. services.Select(d => d.ServiceType)
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])];
    }

    [Fact]
    public void Every_event_is_consumed_by_a_service_or_marked_as_published_for_partners()
    {
        var consumed = Consumed();
        // The scan sees the consumers at all (a sanity check on the scan itself).
        Assert.Contains(typeof(ActivityCompleted), consumed);

        var unheard = EventTypes.Where(e => !consumed.Contains(e) && e.GetCustomAttribute<PublishedForPartnersAttribute>() is null).Select(e => e.Name);

        Assert.Empty(unheard);
    }

    [Fact]
    public void An_event_marked_for_partners_has_no_consumer_and_says_why()
    {
        var consumed = Consumed();
        var marked = EventTypes.Select(e => (Event: e, Mark: e.GetCustomAttribute<PublishedForPartnersAttribute>())).Where(x => x.Mark is not null).ToList();

        Assert.NotEmpty(marked);
        Assert.Empty(marked.Where(x => consumed.Contains(x.Event)).Select(x => x.Event.Name));
        Assert.Empty(marked.Where(x => string.IsNullOrWhiteSpace(x.Mark!.Reason)).Select(x => x.Event.Name));
    }

    [Fact]
    public void Every_event_an_assessment_indicator_needs_is_heard_by_assessment()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus => new AssessmentModule().AddConsumers(bus));
        var consumed = services.Select(d => d.ServiceType).SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)).Select(i => i.GetGenericArguments()[0]).ToHashSet();

        Type[] needed =
        [
            typeof(StationRegistered), typeof(StationUpdated), typeof(StationClosed), typeof(Events.V2.SixHavesVerified), typeof(StaffingChanged),
            typeof(VolunteerApproved), typeof(VolunteerSuspended), typeof(VolunteerReinstated), typeof(TeamCreated), typeof(TeamMemberJoined),
            typeof(TeamMemberLeft), typeof(HoursCredited), typeof(CareVisitRecorded), typeof(ActivityPublished), typeof(ActivityCompleted),
            typeof(ActivityCompletionCorrected), typeof(ActivityRated), typeof(OrderRated), typeof(OrderCompleted), typeof(CaseReported),
            typeof(CaseClosed), typeof(CaseEscalated),
        ];
        Assert.Empty(needed.Where(e => !consumed.Contains(e)).Select(e => e.Name));
        // V1's verdict is published beside V2's for the six-item checklist: hearing both would count each check twice.
        Assert.DoesNotContain(typeof(SixHavesVerified), consumed);
    }

    [Fact]
    public void Suspensions_reinstatements_and_closures_are_heard_by_activities()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus => new ActivitiesModule().AddConsumers(bus));
        var consumed = services.Select(d => d.ServiceType).SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)).Select(i => i.GetGenericArguments()[0]).ToList();

        Assert.Contains(typeof(VolunteerSuspended), consumed);
        Assert.Contains(typeof(VolunteerReinstated), consumed);
        Assert.Contains(typeof(StationClosed), consumed);
    }

    [Fact]
    public void County_wide_settings_and_partner_keys_are_heard_by_every_grid_cell()
    {
        // Each grid cell (township cell) registers the grid module's consumers on its own queues: the module must hear
        // what another cell wrote for the whole county.
        var services = new ServiceCollection();
        services.AddMassTransit(bus => new GridModule().AddConsumers(bus));
        var consumed = services.Select(d => d.ServiceType).SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)).Select(i => i.GetGenericArguments()[0]).ToList();

        Assert.Contains(typeof(CaseCategoriesChanged), consumed);
        Assert.Contains(typeof(WorkingCalendarChanged), consumed);
        Assert.Contains(typeof(Open311KeyChanged), consumed);
    }
}
