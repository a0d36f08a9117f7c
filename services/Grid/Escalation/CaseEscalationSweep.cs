using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.Escalation;

/// <summary>
/// Sends overdue cases up a tier. Every replica sweeps, and a restart sweeps again: an escalation is saved with the
/// case's version check and under the (case, level) key of <c>case_escalations</c>, in one transaction with its
/// <c>CaseEscalated</c> event, so a step that another sweep already saved fails to save here and nothing is published
/// twice.
/// </summary>
public sealed class CaseEscalationSweep(GridDbContext db, WorkingCalendarStore calendars, TimeProvider time, ILogger<CaseEscalationSweep> logger)
{
    /// <summary>Cases escalated per transaction: one round trip for the lot instead of one per case.</summary>
    public const int BatchSize = 200;

    private sealed record Candidate(Guid Id, DateTimeOffset DueAt, int EscalationLevel, string CategoryCode, CaseStage? Stage);

    /// <summary>One round over every open case past its due time; returns how many escalations this sweep saved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var calendar = await calendars.CurrentAsync(db, cancellationToken);
        var categories = await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, cancellationToken);
        var minor = categories.Values.Where(c => c.StaysInGrid).Select(c => c.Code).ToList();
        // Only the due times of the overdue cases (on the status and due-time index): a county's whole backlog is a few
        // megabytes, and most of it is not due a further step, which is counted here without touching the row.
        var overdue = await db.Cases.AsNoTracking().Open()
            .Where(c => c.DueAt != null && c.DueAt <= now && c.EscalationLevel < GridCase.TopEscalationLevel && !minor.Contains(c.CategoryCode))
            .OrderBy(c => c.DueAt)
            .Select(c => new Candidate(c.Id, c.DueAt!.Value, c.EscalationLevel, c.CategoryCode, c.Stage))
            .ToListAsync(cancellationToken);
        var due = overdue.Where(candidate => categories.TryGetValue(candidate.CategoryCode, out var category) && candidate.Stage is { } stage
                && (candidate.EscalationLevel == 0 || now >= calendar.Add(candidate.DueAt, category.LimitFor(stage).Times(candidate.EscalationLevel))))
            .Select(candidate => candidate.Id).ToList();
        var saved = 0;
        foreach (var batch in due.Chunk(BatchSize))
        {
            saved += await EscalateAsync(batch, categories, calendar, now, cancellationToken);
        }
        db.ChangeTracker.Clear();
        return saved;
    }

    /// <summary>
    /// Escalates the cases of a batch that are still due, in one transaction. When another replica or a request changed
    /// one of them meanwhile, the whole batch rolls back (nothing is published) and each case is tried on its own.
    /// </summary>
    private async Task<int> EscalateAsync(Guid[] ids, IReadOnlyDictionary<string, CaseCategory> categories, WorkingCalendar calendar,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        // Read again with their steps: a row may have moved on (accepted, closed, escalated by another replica) since the list.
        var cases = await db.Cases.Include(c => c.Steps).Where(c => ids.Contains(c.Id)).AsSplitQuery().ToListAsync(cancellationToken);
        var escalations = 0;
        foreach (var overdue in cases)
        {
            var category = categories[overdue.CategoryCode];
            var escalateAt = overdue.NextEscalationAt(category.StaysInGrid,
                levels => calendar.Add(overdue.DueAt!.Value, category.LimitFor(overdue.Stage!.Value).Times(levels)));
            if (overdue.EscalateIfDue(now, escalateAt) is not { } step)
            {
                continue;
            }
            var (notice, escalated) = step;
            // The new step has its id already; EF would take a step found through the navigation with a key for a stored one.
            db.Entry(overdue.Steps[^1]).State = EntityState.Added;
            db.Add(notice);
            db.AddEvent(escalated, now);
            escalations++;
        }
        if (escalations == 0)
        {
            return 0;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return escalations;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            if (ids.Length == 1)
            {
                // Another replica escalated it (or someone acted on the case) first: this sweep's copy is dropped.
                logger.LogDebug("Case {CaseId} was changed by another request while escalating; left to the next round", ids[0]);
                return 0;
            }
            var saved = 0;
            foreach (var id in ids)
            {
                saved += await EscalateAsync([id], categories, calendar, now, cancellationToken);
            }
            return saved;
        }
    }
}

/// <summary>Runs <see cref="CaseEscalationSweep"/> every <see cref="TimeLimitOptions.EscalationSweepInterval"/> on each replica.</summary>
public sealed class CaseEscalationService(
    IServiceScopeFactory scopes, DatabaseSchema<GridDbContext> schema, TimeLimitOptions options, TimeProvider time,
    ILogger<CaseEscalationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception)
        {
            // The start failed or is stopping; the initializer reports it.
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CaseEscalationSweep>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested || ex is ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next round tries again.
                logger.LogWarning(ex, "The case escalation sweep failed a round");
            }
            try
            {
                await Task.Delay(options.EscalationSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
