using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Periods;

namespace PracticeMesh.Assessment.Measures;

/// <summary>What a rebuild did.</summary>
public sealed record RebuildReport(string Period, int Months, long FactsRead, int CellsWritten, long ElapsedMilliseconds);

/// <summary>
/// Recomputes a period's cells from the stored facts alone: every fact of its months is read once, its contributions
/// summed, and the months' cells replaced in one transaction. The result must equal the incremental cells
/// (<see cref="CellLedger"/>); the property tests hold the two together.
/// </summary>
public sealed class CellRebuilder(AssessmentDbContext db)
{
    public async Task<RebuildReport> RebuildAsync(Period period, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var months = period.Months.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Consumers must not add to a cell between the facts being read and the cells being replaced: on PostgreSQL the
        // table lock waits for the writes in flight and holds new ones until the commit (their saves then fail on the
        // replaced rows' versions and are retried against the rebuilt cells); on SQLite a first write takes the one write lock.
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE measure_cells IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM measure_cells WHERE 0 = 1", cancellationToken);
        }

        var sums = new Dictionary<CellKey, long>();
        long facts = 0;
        void Add(IContributingFact fact)
        {
            facts++;
            foreach (var (key, value) in fact.Contributions())
            {
                if (period.Contains(key.Month))
                {
                    sums[key] = sums.GetValueOrDefault(key) + value;
                }
            }
        }
        await foreach (var f in db.ActivityFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.ParticipationFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.HoursFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.RatingFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.OrderFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.CareVisitFacts.AsNoTracking().Where(f => months.Contains(f.Month)).AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);
        await foreach (var f in db.CaseFacts.AsNoTracking().Where(f => months.Contains(f.ReportedMonth) || (f.ClosedMonth != null && months.Contains(f.ClosedMonth)))
                           .AsAsyncEnumerable().WithCancellation(cancellationToken)) Add(f);

        await db.MeasureCells.Where(c => months.Contains(c.Month)).ExecuteDeleteAsync(cancellationToken);
        var cells = sums.Where(s => s.Value != 0).ToList();
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            // A county year is hundreds of thousands of cells: one binary COPY, not an INSERT each.
            await using var import = await connection.BeginBinaryImportAsync(
                """COPY measure_cells ("Kind", "Subject", "Month", "Measure", "Value", "Version") FROM STDIN (FORMAT BINARY)""", cancellationToken);
            foreach (var (key, value) in cells)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(key.Kind.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(key.Subject, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(key.Month, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(key.Measure, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(value, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        else
        {
            foreach (var chunk in cells.Chunk(5000))
            {
                foreach (var (key, value) in chunk)
                {
                    var cell = MeasureCell.Start(key);
                    cell.Add(value);
                    db.MeasureCells.Add(cell);
                }
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new RebuildReport(period.ToString(), months.Count, facts, cells.Count, watch.ElapsedMilliseconds);
    }
}
