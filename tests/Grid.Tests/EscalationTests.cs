using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Escalation;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>What the escalation tests share: reporting a case through the intake, sweeping, and reading back.</summary>
internal static class Overdue
{
    public const string Village = "321324104201";
    public const string Township = "321324104";
    public const string County = "321324";
    public const string Escalations = "/api/v1/grid/escalations";

    public static async Task<Guid> ReportAsync(ServiceFactory<GridModule> factory, string category, string village = Village)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
        var report = await intake.ReportAsync(new NewCase(category, "路口井盖缺失", "王集村东路口", null, null, null, village, null),
            new CaseReporter(CaseSource.Staff, "county-admin-1", "县管理员", PracticeMeshRoles.CountyAdmin, null), County, CancellationToken.None);
        return report.Case.Id;
    }

    public static async Task<int> SweepAsync(ServiceFactory<GridModule> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseEscalationSweep>().RunOnceAsync(CancellationToken.None);
    }

    public static async Task<GridCase> CaseAsync(ServiceFactory<GridModule> factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridDbContext>().Cases.AsNoTracking().Include(c => c.Steps).SingleAsync(c => c.Id == id);
    }

    /// <summary>The levels of the CaseEscalated events written to the outbox for a case: the events published, once each.</summary>
    public static async Task<List<int>> EventLevelsAsync(ServiceFactory<GridModule> factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        var payloads = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType.EndsWith(":CaseEscalated")).Select(m => m.Payload).ToListAsync();
        return [.. payloads.Select(p => JsonDocument.Parse(p).RootElement)
            .Where(e => e.GetProperty("caseId").GetGuid() == id).Select(e => e.GetProperty("level").GetInt32()).Order()];
    }

    public static async Task<List<(Guid CaseId, int Level, string To)>> NoticesAsync(HttpClient client, string query = "")
    {
        var notices = await client.GetAsync(Escalations + query, HttpStatusCode.OK);
        return [.. notices.EnumerateArray().Select(n => (n.GetProperty("caseId").GetGuid(), n.GetProperty("level").GetInt32(), n.GetProperty("escalatedTo").GetString()!))];
    }
}

/// <summary>
/// An overdue case goes up grid → village → township → county on the injected clock, counted in working hours
/// (the factory's clock starts on Wednesday 4 March 2026, 09:00 China time).
/// </summary>
public sealed class EscalationTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task An_unaccepted_safety_hazard_goes_up_a_tier_each_time_its_limit_passes_again()
    {
        // Safety hazards are accepted within 2 working hours: due 11:00.
        var id = await Overdue.ReportAsync(factory, "safety-hazard");
        var reported = await Overdue.CaseAsync(factory, id);
        Assert.Equal(TimeLimitTests.China(2026, 3, 4, 11), reported.DueAt);

        factory.Clock.Advance(TimeSpan.FromMinutes(119));
        await Overdue.SweepAsync(factory);
        Assert.Equal(0, (await Overdue.CaseAsync(factory, id)).EscalationLevel);

        // Overdue: the village is told; a second sweep changes nothing.
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await Overdue.SweepAsync(factory);
        await Overdue.SweepAsync(factory);
        var atVillage = await Overdue.CaseAsync(factory, id);
        Assert.Equal((1, Overdue.Village, true), (atVillage.EscalationLevel, atVillage.EscalatedTo?.Value, atVillage.WentOverdue));
        var step = Assert.Single(atVillage.Steps, s => s.Action == CaseAction.Escalated);
        Assert.Null(step.ActorId);
        Assert.Equal(CaseStatus.Reported, atVillage.Status);
        var escalated = await factory.PublishedAsync<CaseEscalated>(m => m.CaseId == id && m.Level == 1);
        Assert.Equal((CaseStage.Acceptance, DivisionCode.Parse(Overdue.Village), TimeLimitTests.China(2026, 3, 4, 11)),
            (escalated.Stage, escalated.EscalatedTo, escalated.DueAt));

        // Two more working hours (to noon, then 13:30–14:30): the township.
        factory.Clock.Advance(TimeSpan.FromHours(3.5) - TimeSpan.FromMinutes(2));
        await Overdue.SweepAsync(factory);
        Assert.Equal(1, (await Overdue.CaseAsync(factory, id)).EscalationLevel);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await Overdue.SweepAsync(factory);
        var atTownship = await Overdue.CaseAsync(factory, id);
        Assert.Equal((2, Overdue.Township), (atTownship.EscalationLevel, atTownship.EscalatedTo?.Value));

        // Two more (14:30–16:30): the county; above it there is nowhere to go.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await Overdue.SweepAsync(factory);
        Assert.Equal((3, Overdue.County), ((await Overdue.CaseAsync(factory, id)).EscalationLevel, (await Overdue.CaseAsync(factory, id)).EscalatedTo?.Value));
        Assert.Equal([1, 2, 3], await Overdue.EventLevelsAsync(factory, id));
        factory.Clock.Advance(TimeSpan.FromDays(30));
        await Overdue.SweepAsync(factory);

        var final = await Overdue.CaseAsync(factory, id);
        Assert.Equal(3, final.EscalationLevel);
        Assert.Equal(3, final.Steps.Count(s => s.Action == CaseAction.Escalated));

        // Each tier's staff see the notice addressed to them, newest first; a county admin sees all three.
        using var village = factory.CreateClient(PracticeMeshRoles.StationAdmin, Overdue.Village);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, Overdue.Township);
        Assert.Equal([(id, 1, Overdue.Village)], await Overdue.NoticesAsync(village));
        Assert.Equal([(id, 2, Overdue.Township), (id, 1, Overdue.Village)], await Overdue.NoticesAsync(township));
        Assert.Equal([(id, 3, Overdue.County), (id, 2, Overdue.Township), (id, 1, Overdue.Village)], await Overdue.NoticesAsync(factory.CreateClient()));
        Assert.Equal([(id, 2, Overdue.Township)], await Overdue.NoticesAsync(factory.CreateClient(), "?level=2"));
    }
}

/// <summary>Small matters stay in their grid, and other villages do not see a village's notices.</summary>
public sealed class EscalationScopeTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_minor_category_never_escalates_and_notices_stay_within_scope()
    {
        var litter = await Overdue.ReportAsync(factory, "sanitation");
        var help = await Overdue.ReportAsync(factory, "help-request");
        var facility = await Overdue.ReportAsync(factory, "public-facility", "321324105203");

        // One step per case a round: three rounds take the facility case to the county.
        factory.Clock.Advance(TimeSpan.FromDays(60));
        for (var round = 0; round < 3; round++)
        {
            await Overdue.SweepAsync(factory);
        }

        Assert.Equal((0, false), ((await Overdue.CaseAsync(factory, litter)).EscalationLevel, (await Overdue.CaseAsync(factory, litter)).WentOverdue));
        Assert.Equal(0, (await Overdue.CaseAsync(factory, help)).EscalationLevel);
        Assert.Empty(await Overdue.EventLevelsAsync(factory, litter));
        Assert.Equal(3, (await Overdue.CaseAsync(factory, facility)).EscalationLevel);
        using var otherVillage = factory.CreateClient(PracticeMeshRoles.GridWorker, Overdue.Village);
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, Overdue.Township);
        Assert.Empty(await Overdue.NoticesAsync(otherVillage));
        Assert.Empty(await Overdue.NoticesAsync(otherTownship));
        Assert.Empty(await Overdue.NoticesAsync(otherTownship, "?under=321324105"));
        Assert.Equal(2, (await Overdue.NoticesAsync(factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105"))).Count);
        await factory.CreateClient().GetAsync(Overdue.Escalations + "?level=4", HttpStatusCode.BadRequest);
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, "321324105203");
        using var response = await resident.GetAsync(Overdue.Escalations);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

/// <summary>Several replicas sweep the same overdue cases at once on the real PostgreSQL: each case goes up each step once.</summary>
public sealed class EscalationRaceTests(EscalationRaceTests.PostgresGridFactory factory) : IClassFixture<EscalationRaceTests.PostgresGridFactory>
{
    public sealed class PostgresGridFactory() : PostgresServiceFactory<GridModule>("grid");

    private const int Cases = 12;

    [Fact]
    public async Task Sweeps_racing_escalate_each_case_once_per_level()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < Cases; i++)
        {
            ids.Add(await Overdue.ReportAsync(factory, "safety-hazard"));
        }

        // 11:01, then 14:31 (two working hours later): level 1, then level 2.
        foreach (var (step, advance) in new[] { (1, TimeSpan.FromMinutes(121)), (2, TimeSpan.FromHours(3.5)) })
        {
            factory.Clock.Advance(advance);
            var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Overdue.SweepAsync(factory))));
            Assert.True(sweeps.Sum() <= Cases, $"level {step}: {sweeps.Sum()} escalations saved for {Cases} cases");
            foreach (var id in ids)
            {
                Assert.Equal(Enumerable.Range(1, step), await Overdue.EventLevelsAsync(factory, id));
                var escalated = await Overdue.CaseAsync(factory, id);
                Assert.Equal((step, step), (escalated.EscalationLevel, escalated.Steps.Count(s => s.Action == CaseAction.Escalated)));
            }
        }
        Assert.Equal(Cases * 2, (await Overdue.NoticesAsync(factory.CreateClient(), "?pageSize=200")).Count);
    }
}
