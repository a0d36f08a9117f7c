using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Messaging;

public sealed class InboxOptions
{
    /// <summary>
    /// How long a handled message's inbox row is kept. A copy of the message arriving later than this is applied again,
    /// so it must exceed the longest time in which a copy can still come: the redelivery intervals
    /// (<c>Messaging:RedeliveryIntervals</c>, minutes), a row republished after a relay died before marking it (its
    /// lease), a dead outbox row retried by an operator, and above all a message moved back from an <c>_error</c> queue
    /// by hand, which can be days later. 30 days by default; shorten it only with all of these in mind.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often expired inbox rows (and outbox rows sent longer than <c>Outbox:SentRetention</c> ago) are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Rows deleted per statement: each batch is a short transaction, so the deletes never hold up consumers.</summary>
    public int CleanupBatchSize { get; set; } = 1000;
}

/// <summary>
/// Keeps a service's inbox and outbox from growing for ever: deletes inbox rows older than <see cref="InboxOptions.Retention"/>
/// and sent outbox rows older than <see cref="OutboxOptions.SentRetention"/>, oldest first in bounded batches. Dead
/// outbox rows stay until an operator has dealt with them. Replicas may run it at once; they then delete disjoint or
/// already-deleted rows, which is harmless.
/// </summary>
public sealed class MessageStoreUpkeep<TContext>(
    IServiceScopeFactory scopes,
    DatabaseSchema<TContext> schema,
    IOptions<InboxOptions> inboxOptions,
    IOptions<OutboxOptions> outboxOptions,
    TimeProvider time,
    ILogger<MessageStoreUpkeep<TContext>> logger) : BackgroundService where TContext : ServiceDbContext
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
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested || ex is ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next round tries again.
                logger.LogWarning(ex, "Inbox and outbox upkeep of {Context} failed a round", typeof(TContext).Name);
            }
            try
            {
                await Task.Delay(inboxOptions.Value.CleanupInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: deletes every expired row, a batch at a time. Returns how many rows went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var inboxCutoff = now.Subtract(inboxOptions.Value.Retention).ToUnixTimeMilliseconds();
        var sentCutoff = now.Subtract(outboxOptions.Value.SentRetention).ToUnixTimeMilliseconds();
        var batch = Math.Max(1, inboxOptions.Value.CleanupBatchSize);
        var deleted = await DeleteInBatchesAsync(db => db.InboxMessages
            .Where(m => m.ProcessedAt < inboxCutoff).OrderBy(m => m.ProcessedAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        deleted += await DeleteInBatchesAsync(db => db.OutboxMessages
            .Where(m => m.SentAt != null && m.SentAt < sentCutoff).OrderBy(m => m.SentAt).Take(batch).ExecuteDeleteAsync(cancellationToken), batch);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} expired inbox and sent outbox rows of {Context}", deleted, typeof(TContext).Name);
        }
        return deleted;
    }

    private async Task<int> DeleteInBatchesAsync(Func<TContext, Task<int>> deleteBatch, int batch)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var count = await deleteBatch(scope.ServiceProvider.GetRequiredService<TContext>());
            total += count;
            if (count < batch)
            {
                return total;
            }
        }
    }
}
