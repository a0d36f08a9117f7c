using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Domain;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.People;

/// <summary>
/// A gap in a village's coverage as last reckoned (<see cref="CoverageTracker"/>): what <see cref="CoverageChanged"/>
/// was last said about. <see cref="GridCode"/> is empty for a village gap.
/// </summary>
public sealed class CoverageGapRecord
{
    private CoverageGapRecord() { }

    public CoverageGapRecord(DivisionCode village, CoverageGap gap, string? gridCode, DateTimeOffset openedAt)
    {
        DivisionCode = village;
        Gap = gap;
        GridCode = gridCode ?? "";
        OpenedAt = openedAt;
    }

    public DivisionCode DivisionCode { get; private set; }
    public CoverageGap Gap { get; private set; }
    public string GridCode { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
}

internal sealed class CoverageGapMapping : IEntityTypeConfiguration<CoverageGapRecord>
{
    public void Configure(EntityTypeBuilder<CoverageGapRecord> entity)
    {
        entity.ToTable("coverage_gaps");
        // The key is the gap itself: two writers reckoning the same village at once cannot both open it.
        entity.HasKey(g => new { g.DivisionCode, g.Gap, g.GridCode });
        entity.Property(g => g.Gap).HasConversion<string>().HasMaxLength(30);
        entity.Property(g => g.GridCode).HasMaxLength(24);
    }
}

/// <summary>
/// Keeps <see cref="CoverageChanged"/> in step with a village's coverage (有格无员, 有村无格). Every write that can open
/// or close a gap (an assignment started or ended, a person deactivated or activated, a grid created, split, merged or
/// retired, a village heard of or closed) calls <see cref="RecheckAsync"/> before its SaveChanges: the village's gaps
/// now are compared with those stored in <c>coverage_gaps</c>, and the difference is stored and published in the
/// caller's transaction. The check reads what the caller's context holds but has not saved (added grids and
/// assignments, a retired grid, a deactivated person), so it sees the state the save will make.
/// </summary>
public static class CoverageTracker
{
    /// <summary>
    /// Adds a <see cref="CoverageChanged"/> (and the stored gap) for each gap of <paramref name="village"/> that opened or
    /// closed since the last check, as things stand on <paramref name="now"/>'s day in China. Does not save.
    /// </summary>
    public static async Task RecheckAsync(GridDbContext db, DivisionCode village, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var gaps = await GapsAsync(db, village, ChinaTime.Today(now), cancellationToken);
        await db.Set<CoverageGapRecord>().Where(g => g.DivisionCode == village).LoadAsync(cancellationToken);
        var stored = db.Set<CoverageGapRecord>().Local.Where(g => g.DivisionCode == village).ToList();

        foreach (var (gap, gridCode) in gaps)
        {
            if (!stored.Any(s => s.Gap == gap && s.GridCode == (gridCode ?? "")))
            {
                db.Set<CoverageGapRecord>().Add(new CoverageGapRecord(village, gap, gridCode, now));
                db.AddEvent(new CoverageChanged(Guid.CreateVersion7(now), now, village, gap, gridCode, Open: true), now);
            }
        }
        foreach (var closed in stored.Where(s => !gaps.Contains((s.Gap, s.GridCode.Length == 0 ? null : s.GridCode))))
        {
            db.Set<CoverageGapRecord>().Remove(closed);
            db.AddEvent(new CoverageChanged(Guid.CreateVersion7(now), now, village, closed.Gap, closed.GridCode.Length == 0 ? null : closed.GridCode, Open: false), now);
        }
    }

    /// <summary>
    /// The village's gaps on <paramref name="today"/>, from the database and the context's unsaved changes: each active
    /// grid without an active person holding the worker duty that day, and the village itself when the stations
    /// registry knows it, it is not closed and it has no active grid. A closed village has no gaps (it has left the
    /// counts).
    /// </summary>
    private static async Task<HashSet<(CoverageGap Gap, string? GridCode)>> GapsAsync(GridDbContext db, DivisionCode village, DateOnly today,
        CancellationToken cancellationToken)
    {
        // Loaded into the change tracker and then read from Local: tracked rows keep their unsaved values, rows the
        // caller added are there too, and rows it removed are not.
        await db.Grids.Where(g => g.DivisionCode == village).LoadAsync(cancellationToken);
        await db.Assignments.Where(a => a.DivisionCode == village && a.Duty == GridDuty.Worker && (a.Until == null || a.Until >= today))
            .LoadAsync(cancellationToken);
        var known = await db.Villages.FindAsync([village], cancellationToken);
        if (known is { Closed: true })
        {
            return [];
        }
        var grids = db.Grids.Local.Where(g => g.DivisionCode == village && g.RetiredAt == null).Select(g => g.Code).ToList();
        var assignments = db.Assignments.Local.Where(a => a.DivisionCode == village && a.Duty == GridDuty.Worker && a.HoldsOn(today)).ToList();
        var personIds = assignments.Select(a => a.PersonId).Distinct().ToList();
        await db.People.Where(p => personIds.Contains(p.Id)).LoadAsync(cancellationToken);
        var active = db.People.Local.Where(p => p.Active).Select(p => p.Id).ToHashSet();
        var staffed = assignments.Where(a => active.Contains(a.PersonId)).Select(a => a.GridCode).ToHashSet();

        var gaps = grids.Where(code => !staffed.Contains(code)).Select(code => (CoverageGap.GridWithoutWorker, (string?)code)).ToHashSet();
        if (known is not null && grids.Count == 0)
        {
            gaps.Add((CoverageGap.VillageWithoutGrids, null));
        }
        return gaps;
    }
}
