using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Activities.Orders;

/// <summary>
/// Sends late orders up a tier. Every replica sweeps, and a restart sweeps again: an escalation is saved with the
/// order's version check and under the (order, level) key, in one transaction with its event, so a step that another
/// sweep already saved fails to save here and nothing is published twice.
/// </summary>
public sealed class OrderEscalationSweep(ActivitiesDbContext db, ActivitiesOptions options, TimeProvider time, ILogger<OrderEscalationSweep> logger)
{
    /// <summary>Orders looked at per round; the rest wait for the next one.</summary>
    public const int BatchSize = 500;

    /// <summary>One round; returns how many escalations this sweep saved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var earliest = now - (options.OrderAcceptWithin < options.OrderCompleteWithin ? options.OrderAcceptWithin : options.OrderCompleteWithin);
        var candidates = await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Placed || o.Status == OrderStatus.Dispatched || o.Status == OrderStatus.Accepted)
                && o.EscalationLevel < 2 && o.PlacedAt <= earliest)
            .OrderBy(o => o.PlacedAt).Select(o => o.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var saved = 0;
        foreach (var id in candidates)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (order?.EscalateIfDue(now, options.OrderAcceptWithin, options.OrderCompleteWithin) is not { } due)
            {
                continue;
            }
            var (step, escalated) = due;
            db.OrderEscalations.Add(step);
            db.AddEvent(escalated, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                saved++;
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                // Another replica escalated it (or the assignee changed it) first: this sweep's copy is dropped.
                logger.LogDebug("Order {OrderId} was changed by another request while escalating; left to the next round", id);
            }
        }
        db.ChangeTracker.Clear();
        return saved;
    }
}

/// <summary>Runs <see cref="OrderEscalationSweep"/> every <see cref="ActivitiesOptions.OrderSweepInterval"/> on each replica.</summary>
public sealed class OrderEscalationService(
    IServiceScopeFactory scopes, DatabaseSchema<ActivitiesDbContext> schema, ActivitiesOptions options, TimeProvider time,
    ILogger<OrderEscalationService> logger) : BackgroundService
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
                await scope.ServiceProvider.GetRequiredService<OrderEscalationSweep>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested || ex is ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next round tries again.
                logger.LogWarning(ex, "The order escalation sweep failed a round");
            }
            try
            {
                await Task.Delay(options.OrderSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
