using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// Keeps a module's revoked subjects (<c>revoked_subjects</c>): each subject holds the latest not-before heard of, so
/// revocations in any order, or twice, end the same. Registered for every module by the shared messaging wiring, on a
/// queue per service (<c>{service}-record-access-revoked</c>): every service hears every revocation, and the replicas
/// of one service share the queue, the one that takes it writes the row, and the others read it on their next refresh.
/// The process's own set is raised at once too, so this replica refuses the tokens without waiting for the refresh.
/// </summary>
public sealed class RecordAccessRevoked<TContext>(TContext db, TimeProvider time, AccessRevocations revocations)
    : IdempotentConsumer<AccessRevoked, TContext>(db, time) where TContext : ServiceDbContext
{
    /// <summary>One name whatever the context: each module's inbox is its own table, and a generic type's full name is long.</summary>
    protected override string ConsumerName => "PracticeMesh.ServiceDefaults.Messaging.RecordAccessRevoked";

    protected override async Task HandleAsync(AccessRevoked message, CancellationToken cancellationToken)
    {
        var row = await Db.RevokedSubjects.FindAsync([message.Subject], cancellationToken);
        if (row is null)
        {
            Db.RevokedSubjects.Add(new RevokedSubject(message.Subject, message.NotBefore));
        }
        else
        {
            row.Raise(message.NotBefore);
        }
        // Outside the context, but it only ever raises a not-before to one that is true: applying it again (a retry, a
        // duplicate whose save rolls back) changes nothing.
        revocations.Revoke(message.Subject, message.NotBefore);
    }
}

/// <summary>
/// Reads a module's revoked subjects into the process's <see cref="AccessRevocations"/> every <c>Auth:RevocationRefresh</c>
/// (2 s): the replicas that did not take an <c>AccessRevoked</c> from the queue see it this way. Only rows younger than
/// <c>Auth:RevocationWindow</c> matter (a token issued before an older not-before has expired).
/// </summary>
public sealed class AccessRevocationRefresher<TContext>(
    IServiceScopeFactory scopes,
    DatabaseSchema<TContext> schema,
    AccessRevocations revocations,
    AuthOptions options,
    TimeProvider time,
    ILogger<AccessRevocationRefresher<TContext>> logger) : BackgroundService where TContext : ServiceDbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The initializer reports its own failure and stops the host.
            return;
        }
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is down or busy: the set keeps what it had, and the next round tries again. Logged once
                // per outage, not every two seconds.
                if (!failing)
                {
                    logger.LogWarning(ex, "Reading revoked subjects failed; retrying every {Interval}", options.RevocationRefresh);
                }
                failing = true;
            }
            await Task.Delay(options.RevocationRefresh, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One read of the module's rows into the set.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - options.RevocationWindow;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var rows = await db.RevokedSubjects.AsNoTracking().Where(r => r.NotBefore > since)
            .Select(r => new { r.Subject, r.NotBefore }).ToListAsync(cancellationToken);
        revocations.Merge(rows.Select(r => (r.Subject, r.NotBefore)), forgetBefore: since);
    }
}

/// <summary>Consumers the shared wiring adds for every module's database, whatever the module registers itself.</summary>
internal sealed class SharedConsumers(Action<IBusRegistrationConfigurator, string?> add)
{
    /// <summary>Adds the consumers, on the queues of township cell <paramref name="cell"/> when it is set.</summary>
    public void AddTo(IBusRegistrationConfigurator bus, string? cell) => add(bus, cell);
}

public static class AccessRevocationExtensions
{
    /// <summary>
    /// The <c>AccessRevoked</c> consumer for <typeparamref name="TContext"/>, on the queue of its service
    /// (<paramref name="service"/>): one queue per service (and township cell), so each hears each revocation once.
    /// </summary>
    public static void AddAccessRevocationConsumer<TContext>(this IBusRegistrationConfigurator bus, string service, string? cell = null)
        where TContext : ServiceDbContext =>
        bus.AddConsumer<RecordAccessRevoked<TContext>>()
            .Endpoint(endpoint => endpoint.Name = CellEndpointNameFormatter.Apply($"{service}-record-access-revoked", cell));

    /// <summary>The revoked-subjects consumer and refresh for a module's database (called by AddServiceDatabase).</summary>
    internal static void AddAccessRevocation<TContext>(this IHostApplicationBuilder builder, string service) where TContext : ServiceDbContext
    {
        builder.Services.AddSingleton(new SharedConsumers((bus, cell) => bus.AddAccessRevocationConsumer<TContext>(service, cell)));
        builder.Services.AddHostedService<AccessRevocationRefresher<TContext>>();
    }

    /// <summary>Adds every shared consumer the modules' databases asked for.</summary>
    internal static void AddSharedConsumers(this IBusRegistrationConfigurator bus, IServiceCollection services, string? cell)
    {
        foreach (var shared in services.Where(d => d.ServiceType == typeof(SharedConsumers)).Select(d => (SharedConsumers)d.ImplementationInstance!).ToList())
        {
            shared.AddTo(bus, cell);
        }
    }
}
