using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>A dead outbox row as an operator sees it (the payload stays in the database: it may hold personal data).</summary>
public sealed record DeadLetterResponse(Guid Id, string MessageType, DateTimeOffset OccurredAt, int Attempts, string? LastError, DateTimeOffset DeadAt)
{
    public static DeadLetterResponse From(OutboxMessage row) => new(row.Id, row.MessageType, DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt),
        row.Attempts, row.LastError, DateTimeOffset.FromUnixTimeMilliseconds(row.DeadAt ?? 0));
}

/// <summary>How many dead rows were put back for publishing.</summary>
public sealed record DeadLetterRetryResponse(int Retried);

/// <summary>Maps one service database's dead-letter endpoints; <see cref="DatabaseExtensions.AddServiceDatabase{TContext}"/> registers one per database.</summary>
public interface IOutboxDeadLetterEndpoints
{
    void Map(IEndpointRouteBuilder endpoints);
}

/// <summary>
/// <c>/api/v1/{service}/outbox/dead-letters</c>: the outbox rows a service gave up on, for county admins (as other
/// operator endpoints, by role), under the service's own prefix so the gateway routes them like the rest of its API
/// and the standalone host serves each service's beside the others. A retry puts the rows back as new (attempts
/// reset); one still unreadable dies again after its attempts. Retries are audited like every admin write.
/// </summary>
public sealed class OutboxDeadLetterEndpoints<TContext>(string service) : IOutboxDeadLetterEndpoints where TContext : ServiceDbContext
{
    public const int MaxLimit = 500;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var prefix = "/api/v1/" + service + "/outbox/dead-letters";
        var api = endpoints.MapGroup(prefix).WithTags("Operations")
            .RequireAuthorization(policy => policy.RequireRole(PracticeMeshRoles.CountyAdmin))
            .AuditAdminWrites<RouteGroupBuilder, TContext>(service);
        api.MapGet("/", (int? limit, HttpContext http) => ListAsync(limit, Db(http), http.RequestAborted)).WithName($"ListDeadLetters_{service}")
            .WithSummary($"Outbox rows of {service} that could not be published, newest first");
        api.MapPost("/{id:guid}/retry", (Guid id, HttpContext http) => RetryAsync(id, Db(http), Signal(http), Time(http), http.RequestAborted)).WithName($"RetryDeadLetter_{service}")
            .WithSummary($"Put one dead outbox row of {service} back for publishing");
        api.MapPost("/retry", (HttpContext http, CancellationToken cancellationToken) => RetryAllAsync(Db(http), Signal(http), Time(http), cancellationToken)).WithName($"RetryAllDeadLetters_{service}")
            .WithSummary($"Put every dead outbox row of {service} back for publishing");
    }

    // Resolved by hand: the route handler analyzer fails on a handler parameter of a generic type parameter.
    private static TContext Db(HttpContext http) => http.RequestServices.GetRequiredService<TContext>();
    private static OutboxSignal<TContext> Signal(HttpContext http) => http.RequestServices.GetRequiredService<OutboxSignal<TContext>>();
    private static TimeProvider Time(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>();

    private static async Task<Ok<List<DeadLetterResponse>>> ListAsync(int? limit, TContext db, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new DomainValidationException("limit", $"1 to {MaxLimit}.");
        }
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.DeadAt != null)
            .OrderByDescending(m => m.DeadAt).Take(limit ?? 100).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(DeadLetterResponse.From).ToList());
    }

    private static async Task<Ok<DeadLetterRetryResponse>> RetryAsync(Guid id, TContext db, OutboxSignal<TContext> signal, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var row = await db.OutboxMessages.SingleOrDefaultAsync(m => m.Id == id && m.DeadAt != null, cancellationToken)
            ?? throw new NotFoundException($"No dead outbox row {id}.");
        return TypedResults.Ok(await RetryRowsAsync([row], db, signal, time, cancellationToken));
    }

    private static async Task<Ok<DeadLetterRetryResponse>> RetryAllAsync(TContext db, OutboxSignal<TContext> signal, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var rows = await db.OutboxMessages.Where(m => m.DeadAt != null).ToListAsync(cancellationToken);
        return TypedResults.Ok(await RetryRowsAsync(rows, db, signal, time, cancellationToken));
    }

    /// <summary>Through the change tracker, so the admin write's audit record commits in the same SaveChanges.</summary>
    private static async Task<DeadLetterRetryResponse> RetryRowsAsync(List<OutboxMessage> rows, TContext db, OutboxSignal<TContext> signal,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var row in rows)
        {
            row.DeadAt = null;
            row.Attempts = 0;
            row.AvailableAt = now;
            row.LockedBy = null;
            row.LockedUntil = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return new DeadLetterRetryResponse(rows.Count);
    }
}

/// <summary>
/// Degraded (not unhealthy: the service still serves, and events other than the dead ones flow) while the service's
/// outbox holds dead rows, so they are seen where operators look at the service's health.
/// </summary>
internal sealed class OutboxDeadLetterHealthCheck<TContext>(TContext db, string service) : IHealthCheck where TContext : ServiceDbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var dead = await db.OutboxMessages.CountAsync(m => m.DeadAt != null, cancellationToken);
        return dead == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{dead} outbox rows could not be published; see GET /api/v1/{service}/outbox/dead-letters",
                data: new Dictionary<string, object> { ["dead"] = dead });
    }
}
