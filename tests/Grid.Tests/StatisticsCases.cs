using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>A case as the statistics should find it, whatever steps brought it there.</summary>
public sealed record CaseRow(string Village, string? Grid, DateTimeOffset ReportedAt, CaseStatus Status = CaseStatus.Reported,
    DateTimeOffset? ClosedAt = null, DateTimeOffset? DueAt = null, bool WentOverdue = false, int Reworks = 0, int Extensions = 0,
    int EscalationLevel = 0);

/// <summary>
/// Writes cases straight into the grid database in the state a statistic reads: reported through the domain's own
/// factory, then given the status, times and counters a lifecycle would have left (through EF's change tracker, which
/// sets what the domain keeps private), so the statistics are tested apart from the lifecycle endpoints.
/// </summary>
public static class StatisticsCases
{
    private static readonly CaseReporter Reporter = new(CaseSource.Resident, "statistics-test", "居民", "resident", null);

    /// <summary>China time (UTC+8): the days statistics speak of.</summary>
    public static DateTimeOffset China(int month, int day, int hour = 10, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public static async Task AddVillagesAsync(IServiceProvider services, params (string Code, string Name)[] villages)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        foreach (var (code, name) in villages)
        {
            db.Villages.Add(new KnownVillage(DivisionCode.Parse(code), name, China(1, 1)));
        }
        await db.SaveChangesAsync();
    }

    public static async Task AddAsync(IServiceProvider services, params CaseRow[] rows)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        foreach (var row in rows)
        {
            var reportedAt = row.ReportedAt.ToUniversalTime();
            var (reported, _) = GridCase.Report($"T{Guid.NewGuid():N}"[..20], DivisionCode.Parse(row.Village), row.Grid, row.Grid is null,
                "sanitation", "路灯不亮", null, null, null, null, Reporter, reportedAt, (row.DueAt ?? row.ReportedAt.AddDays(1)).ToUniversalTime());
            db.Cases.Add(reported);
            var entry = db.Entry(reported);
            entry.Property(c => c.Status).CurrentValue = row.Status;
            entry.Property(c => c.ClosedAt).CurrentValue = row.ClosedAt?.ToUniversalTime();
            entry.Property(c => c.WentOverdue).CurrentValue = row.WentOverdue;
            entry.Property(c => c.Reworks).CurrentValue = row.Reworks;
            entry.Property(c => c.Extensions).CurrentValue = row.Extensions;
            entry.Property(c => c.EscalationLevel).CurrentValue = row.EscalationLevel;
            if (row.Status is CaseStatus.Closed or CaseStatus.Rejected or CaseStatus.Merged)
            {
                entry.Property(c => c.Stage).CurrentValue = null;
                entry.Property(c => c.DueAt).CurrentValue = null;
            }
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A township's February (the factory's clock stands at 2026-03-04 09:00 China time): grids 01 to 03 of its first
    /// village (03 without cases), a second village without grids, and one case in the next township.
    /// </summary>
    public static async Task SeedFebruaryAsync(ServiceFactory<GridModule> factory, string township)
    {
        string village = township + "201", second = township + "202", neighbour = NextTownship(township) + "201";
        await AddVillagesAsync(factory.Services, (village, "王集村"), (second, "李庄村"), (neighbour, "邻镇村"));
        using var client = factory.CreateClient();
        foreach (var (serial, name) in new[] { (1, "一组网格"), (2, "二组网格"), (3, "三组网格") })
        {
            await client.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial, name }, HttpStatusCode.Created);
        }
        string g1 = village + "-01", g2 = village + "-02";
        await AddAsync(factory.Services,
            // Grid 01: closed in a day on time; closed in two days after going overdue and a rework; reported in
            // January and closed on time in February (21 days); rejected.
            new CaseRow(village, g1, China(2, 2), CaseStatus.Closed, ClosedAt: China(2, 3)),
            new CaseRow(village, g1, China(2, 5), CaseStatus.Closed, ClosedAt: China(2, 7), WentOverdue: true, Reworks: 1),
            new CaseRow(village, g1, China(1, 20), CaseStatus.Closed, ClosedAt: China(2, 10)),
            new CaseRow(village, g1, China(2, 10), CaseStatus.Rejected),
            // Grid 02: late on 27 February, dispatched, past its due time, extended and escalated; the last evening
            // of February, due next week; ten minutes into March China time (still 28 February in UTC).
            new CaseRow(village, g2, China(2, 27, 23, 30), CaseStatus.Dispatched, DueAt: China(3, 1), Extensions: 1, EscalationLevel: 1),
            new CaseRow(village, g2, China(2, 28, 23, 59), CaseStatus.Accepted, DueAt: China(3, 10)),
            new CaseRow(village, g2, China(3, 1, 0, 10), CaseStatus.Reported, DueAt: China(3, 2)),
            // Outside every grid: the village takes it.
            new CaseRow(village, null, China(2, 15)),
            new CaseRow(neighbour, null, China(2, 10)));
    }

    public static string NextTownship(string township) => (long.Parse(township) + 1).ToString();
}
