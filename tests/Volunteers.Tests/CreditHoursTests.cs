using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers.Data;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The hour ledger fed by ActivityCompleted, fed here straight into the service's bus.</summary>
public sealed class CreditHoursTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private static readonly DateTimeOffset StartsAt = new(2026, 3, 5, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Credits_each_approved_participant_and_publishes_HoursCredited()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var completed = Completed(new ActivityParticipant(volunteer, 1.5m));

        await PublishAndWaitAsync(completed, times: 1);

        var ledger = await client.GetLedgerAsync(volunteer);
        var entry = Assert.Single(ledger.Entries);
        Assert.Equal(1.5m, ledger.TotalHours);
        Assert.Equal(1.5m, entry.Hours);
        Assert.Equal(completed.ActivityId, entry.ActivityId);
        Assert.Equal(completed.EndsAt, entry.ServedOn);
        var credited = await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == volunteer);
        Assert.Equal((completed.ActivityId, 1.5m, 1.5m, entry.Id), (credited.ActivityId!.Value, credited.Hours, credited.TotalHours, credited.LedgerEntryId));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_credits_the_hours_once()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var completed = Completed(new ActivityParticipant(volunteer, 2m));

        await PublishAndWaitAsync(completed, times: 2);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Single(ledger.Entries);
        Assert.Equal(2m, ledger.TotalHours);
        await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == volunteer);
        // The outbox is the record of what will be published: exactly one HoursCredited for this volunteer.
        Assert.Equal(1, await CountHoursCreditedRowsAsync(volunteer));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_at_once_credits_the_hours_once()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var completed = Completed(new ActivityParticipant(volunteer, 2m));

        // Two copies in flight together race on the inbox key; the loser's retry must find the winner's row.
        await Task.WhenAll(factory.Harness.Bus.Publish(completed), factory.Harness.Bus.Publish(completed));
        await WaitForConsumedAsync(completed, 2);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Single(ledger.Entries);
        Assert.Equal(2m, ledger.TotalHours);
        Assert.Equal(1, await CountHoursCreditedRowsAsync(volunteer));
    }

    [Fact]
    public async Task The_same_activity_under_a_new_event_id_is_not_credited_again()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var first = Completed(new ActivityParticipant(volunteer, 2m));
        var replay = first with { EventId = Guid.NewGuid() };

        await PublishAndWaitAsync(first, times: 1);
        await PublishAndWaitAsync(replay, times: 1);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Single(ledger.Entries);
        Assert.Equal(2m, ledger.TotalHours);
        Assert.Equal(1, await CountHoursCreditedRowsAsync(volunteer));
    }

    [Fact]
    public async Task Hours_from_several_activities_add_up()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();

        await PublishAndWaitAsync(Completed(new ActivityParticipant(volunteer, 1.5m)), times: 1);
        await PublishAndWaitAsync(Completed(new ActivityParticipant(volunteer, 2.25m)), times: 1);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Equal(2, ledger.Entries.Count);
        Assert.Equal(3.75m, ledger.TotalHours);
        await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == volunteer && m.TotalHours == 3.75m);
    }

    [Fact]
    public async Task Unknown_pending_and_rejected_participants_get_no_hours()
    {
        using var client = factory.CreateClient();
        var approved = await client.RegisterApprovedAsync("王芳");
        var pending = await client.RegisterAsync("李强");
        var rejected = await client.RegisterAsync("张伟");
        await client.PostAsync($"{VolunteerClient.Path}/{rejected}/reject", new { reason = "Not a resident" }, System.Net.HttpStatusCode.OK);
        var unknown = Guid.NewGuid();

        await PublishAndWaitAsync(Completed(
            new ActivityParticipant(approved, 1m),
            new ActivityParticipant(pending, 1m),
            new ActivityParticipant(rejected, 1m),
            new ActivityParticipant(unknown, 1m)), times: 1);

        Assert.Equal(1m, (await client.GetLedgerAsync(approved)).TotalHours);
        Assert.Empty((await client.GetLedgerAsync(pending)).Entries);
        Assert.Empty((await client.GetLedgerAsync(rejected)).Entries);
        Assert.Equal(0, await CountHoursCreditedRowsAsync(pending) + await CountHoursCreditedRowsAsync(rejected) + await CountHoursCreditedRowsAsync(unknown));
    }

    [Fact]
    public async Task Hours_outside_a_day_are_not_credited()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();

        await PublishAndWaitAsync(Completed(new ActivityParticipant(volunteer, 25m)), times: 1);

        Assert.Empty((await client.GetLedgerAsync(volunteer)).Entries);
    }

    private static ActivityCompleted Completed(params ActivityParticipant[] participants) => new(
        Guid.NewGuid(), StartsAt.AddHours(3), DivisionCode.Parse("321324104201"), Guid.NewGuid(), "321324104201", null,
        ActivityCategory.Policy, StartsAt, StartsAt.AddHours(3), participants, participants.Length);

    /// <summary>Publishes the event <paramref name="times"/> times, each after the previous one was handled (a redelivery).</summary>
    private async Task PublishAndWaitAsync(ActivityCompleted message, int times)
    {
        for (var i = 1; i <= times; i++)
        {
            await factory.Harness.Bus.Publish(message);
            await WaitForConsumedAsync(message, i);
        }
    }

    private Task WaitForConsumedAsync(ActivityCompleted message, int deliveries) =>
        factory.ConsumedAsync<ActivityCompleted>(m => m.EventId == message.EventId, deliveries);

    private async Task<int> CountHoursCreditedRowsAsync(Guid volunteer)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VolunteersDbContext>();
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == IntegrationEventTypes.NameOf(typeof(HoursCredited))).ToListAsync();
        return rows.Count(m => m.Payload.Contains(volunteer.ToString()));
    }
}
