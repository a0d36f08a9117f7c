using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for rows when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 100;
    /// <summary>How long a claimed row stays reserved for the relay that claimed it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A publish that the broker has not confirmed in this time counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How many times a row that cannot be read (its event type unknown to this version, its payload unreadable) is
    /// tried before it is given up on: it is then dead, shown by the health check, the
    /// <c>practicemesh.outbox.dead</c> metric and <c>GET /api/v1/{service}/outbox/dead-letters</c>, and published only
    /// when an operator retries it. With the backoff the tries span a few minutes, so during a rolling upgrade a
    /// replica of the new version takes a row that an old one cannot read. A failure of the broker (an outage) never
    /// counts: such rows wait, however long, and go out when it is back.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>Sent rows are kept this long for inspection, then deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes a service's outbox rows. Rows are claimed with a lease (and <c>FOR UPDATE SKIP LOCKED</c> on
/// PostgreSQL) so two replicas never publish the same row at once; a row is marked sent only after the
/// broker confirmed it, and a failure puts it back with exponential backoff. The bus message id is the
/// event id, so a row published twice (a crash after the confirm, before the mark) is still handled once
/// by every inbox. A row this process cannot read is given up on after <see cref="OutboxOptions.MaxAttempts"/>.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal<TContext> signal,
    IOptions<OutboxOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : ServiceDbContext
{
    private readonly string _instance = Truncate($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", 100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Hosted services start in order and the bus starts after this relay: publishing before its receive
        // endpoints exist would drop messages, so the first round waits for the whole host to have started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await PublishPendingAsync(settings, stoppingToken);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested || ex is ObjectDisposedException)
            {
                // Shutting down (a host disposed without a stop cancels nothing, but its services are gone):
                // the round was cut short and its rows stay unsent for the next start.
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next round tries again.
                logger.LogWarning(ex, "Outbox relay of {Context} failed a round", typeof(TContext).Name);
            }
            if (published < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims one batch and publishes it. Returns how many rows were claimed.</summary>
    public async Task<int> PublishPendingAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();

        var claimed = await ClaimAsync(db, settings, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // The whole batch at once: each publish waits for the broker's confirm, and one at a time that round trip,
        // not the broker, set the relay's rate. Consumers never relied on the order (prefetch and concurrent
        // consumers reorder anyway); the inboxes make a repeat harmless.
        var outcomes = await Task.WhenAll(claimed.Select(row => PublishAsync(bus, row, settings, cancellationToken)));
        var sent = claimed.Zip(outcomes).Where(o => o.Second is null).Select(o => o.First.Id).ToList();
        foreach (var (row, error) in claimed.Zip(outcomes).Where(o => o.Second is not null))
        {
            PracticeMeshTelemetry.OutboxFailed.Add(1);
            if (error is OutboxRowUnreadableException && row.Attempts + 1 >= settings.MaxAttempts)
            {
                await MarkDeadAsync(db, row, error, cancellationToken);
                continue;
            }
            await ReleaseFailedAsync(db, row, error!, settings, cancellationToken);
            logger.LogWarning(error, "Publishing outbox row {Id} ({Type}) failed, attempt {Attempt}", row.Id, row.MessageType, row.Attempts + 1);
        }

        if (sent.Count > 0)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.OutboxMessages
                .Where(m => sent.Contains(m.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.LockedUntil, (long?)null)
                    .SetProperty(m => m.LockedBy, (string?)null), cancellationToken);
            PracticeMeshTelemetry.OutboxPublished.Add(sent.Count);
        }
        return claimed.Count;
    }

    /// <summary>Publishes one row with the event id as the message id; returns the failure, if any.</summary>
    private static async Task<Exception?> PublishAsync(IBus bus, OutboxMessage row, OutboxOptions settings, CancellationToken cancellationToken)
    {
        using var activity = PracticeMeshTelemetry.ActivitySource.StartActivity("outbox publish", ActivityKind.Producer);
        activity?.SetTag("messaging.message.id", row.Id);
        activity?.SetTag("messaging.message.type", row.MessageType);
        try
        {
            var (message, type) = row.Deserialize();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.PublishTimeout);
            await bus.Publish(message, type, context => context.MessageId = row.Id, timeout.Token);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return ex;
        }
    }

    private async Task<List<OutboxMessage>> ClaimAsync(TContext db, OutboxOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lockedUntil = now + (long)settings.LeaseDuration.TotalMilliseconds;
        // SKIP LOCKED makes concurrent relays take disjoint rows instead of waiting on each other; SQLite has a
        // single writer, so its UPDATE is atomic on its own.
        var skipLocked = db.Database.IsNpgsql() ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE outbox_messages SET locked_by = {0}, locked_until = {1}
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE sent_at IS NULL AND dead_at IS NULL AND available_at <= {2} AND (locked_until IS NULL OR locked_until < {2})
                ORDER BY occurred_at
                LIMIT {3}
                {{skipLocked}})
            RETURNING *
            """;
        return await db.OutboxMessages
            .FromSqlRaw(sql, _instance, lockedUntil, now, settings.BatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    private async Task ReleaseFailedAsync(TContext db, OutboxMessage row, Exception error, OutboxOptions settings, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var backoff = TimeSpan.FromMilliseconds(Math.Min(settings.MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempts, 16))));
        var availableAt = time.GetUtcNow().Add(backoff).ToUnixTimeMilliseconds();
        var message = Truncate(error.Message, 2000);
        await db.OutboxMessages
            .Where(m => m.Id == row.Id && m.LockedBy == _instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.AvailableAt, availableAt)
                .SetProperty(m => m.LastError, message)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.LockedBy, (string?)null), CancellationToken.None);
    }

    private async Task MarkDeadAsync(TContext db, OutboxMessage row, Exception error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var message = Truncate(error.Message, 2000);
        await db.OutboxMessages
            .Where(m => m.Id == row.Id && m.LockedBy == _instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, row.Attempts + 1)
                .SetProperty(m => m.DeadAt, now)
                .SetProperty(m => m.LastError, message)
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.LockedBy, (string?)null), CancellationToken.None);
        PracticeMeshTelemetry.OutboxDead.Add(1, new KeyValuePair<string, object?>("messaging.message.type", row.MessageType));
        logger.LogError(error, "Outbox row {Id} ({Type}) could not be read in {Attempts} attempts and is dead: it waits for an operator's retry",
            row.Id, row.MessageType, row.Attempts + 1);
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}
