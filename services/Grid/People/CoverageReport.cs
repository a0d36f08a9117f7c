using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;

namespace PracticeMesh.Grid.People;

/// <summary>A village's coverage on a day.</summary>
public sealed record VillageCoverage(
    string VillageCode, string? Name, int Grids, IReadOnlyList<string> GridsWithoutWorker, int Households, int Workers, double? HouseholdsPerWorker);

/// <summary>A village the stations registry knows, not closed, with no active grid (有村无格).</summary>
public sealed record VillageWithoutGrids(string VillageCode, string Name);

public sealed record CoverageTotals(
    int Villages, int Grids, int GridsWithoutWorker, int VillagesWithoutGrids, int Households, int Workers, double? HouseholdsPerWorker);

/// <summary>
/// Coverage under a division (a village, township or county): the rules of <see cref="CoverageTracker"/>, read for many
/// villages at once. A worker is a person holding the worker duty on the day and active in identity; a village's
/// households are its level-2 grids' (each the larger of its own figure and the sum of its level-3 grids', so a figure
/// kept at either level counts once).
/// </summary>
public sealed record CoverageReport(string Under, DateOnly Day, CoverageTotals Totals, IReadOnlyList<VillageCoverage> Villages,
    IReadOnlyList<VillageWithoutGrids> VillagesWithoutGrids)
{
    public static CoverageReport Empty(string under) =>
        new(under, default, new CoverageTotals(0, 0, 0, 0, 0, 0, null), [], []);

    public static async Task<CoverageReport> ReckonAsync(GridDbContext db, string prefix, DateOnly today, CancellationToken cancellationToken)
    {
        var grids = await db.Grids.AsNoTracking()
            .Where(g => g.Code.StartsWith(prefix) && g.RetiredAt == null)
            .Select(g => new { g.Code, g.DivisionCode, g.Level, g.ParentCode, g.Households })
            .ToListAsync(cancellationToken);
        var holding = await db.Assignments.AsNoTracking()
            .Where(a => ((string)a.DivisionCode).StartsWith(prefix) && a.Duty == GridDuty.Worker && a.From <= today && (a.Until == null || a.Until >= today))
            .Select(a => new { a.GridCode, a.PersonId })
            .ToListAsync(cancellationToken);
        var personIds = holding.Select(a => a.PersonId).Distinct().ToList();
        var active = (await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id) && p.Active).Select(p => p.Id).ToListAsync(cancellationToken))
            .ToHashSet();
        var villages = await db.Villages.AsNoTracking().Where(v => ((string)v.Code).StartsWith(prefix)).ToListAsync(cancellationToken);
        var closed = villages.Where(v => v.Closed).Select(v => v.Code.Value).ToHashSet();
        var names = villages.ToDictionary(v => v.Code.Value, v => v.Name);

        var workersByGrid = holding.Where(a => active.Contains(a.PersonId)).GroupBy(a => a.GridCode)
            .ToDictionary(g => g.Key, g => g.Select(a => a.PersonId).ToHashSet());
        var rows = grids.Where(g => !closed.Contains(g.DivisionCode.Value)).GroupBy(g => g.DivisionCode.Value).OrderBy(v => v.Key).Select(village =>
        {
            var codes = village.Select(g => g.Code).ToList();
            var households = village.Where(g => g.Level == 2)
                .Sum(g => Math.Max(g.Households, village.Where(c => c.ParentCode == g.Code).Sum(c => c.Households)));
            var workers = codes.SelectMany(c => workersByGrid.GetValueOrDefault(c) ?? []).Distinct().Count();
            return new VillageCoverage(village.Key, names.GetValueOrDefault(village.Key), codes.Count,
                [.. codes.Where(c => !workersByGrid.ContainsKey(c)).Order(StringComparer.Ordinal)], households, workers, PerWorker(households, workers));
        }).ToList();
        var withGrids = rows.Select(r => r.VillageCode).ToHashSet();
        var without = villages.Where(v => !v.Closed && !withGrids.Contains(v.Code.Value)).OrderBy(v => v.Code.Value, StringComparer.Ordinal)
            .Select(v => new VillageWithoutGrids(v.Code.Value, v.Name)).ToList();

        var households = rows.Sum(r => r.Households);
        var allWorkers = grids.Where(g => !closed.Contains(g.DivisionCode.Value))
            .SelectMany(g => workersByGrid.GetValueOrDefault(g.Code) ?? []).Distinct().Count();
        var totals = new CoverageTotals(rows.Count, rows.Sum(r => r.Grids), rows.Sum(r => r.GridsWithoutWorker.Count), without.Count,
            households, allWorkers, PerWorker(households, allWorkers));
        return new CoverageReport(prefix, today, totals, rows, without);
    }

    private static double? PerWorker(int households, int workers) => workers == 0 ? null : Math.Round((double)households / workers, 1);
}
