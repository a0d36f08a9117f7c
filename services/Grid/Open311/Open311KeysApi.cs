using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Open311;

public sealed record CreateOpen311KeyRequest(string? ClientId, string? Name, string? Division);

/// <summary>A partner's key as listed: never its secret.</summary>
public sealed record Open311KeyResponse(Guid Id, string ClientId, string Name, string Division, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? RevokedAt)
{
    public static Open311KeyResponse From(Open311ApiKey key) =>
        new(key.Id, key.ClientId, key.Name, key.Division.Value, key.CreatedAt, key.CreatedBy, key.RevokedAt);
}

/// <summary>A key just made: the only answer that shows the key itself.</summary>
public sealed record CreatedOpen311KeyResponse(Guid Id, string ClientId, string Name, string Division, DateTimeOffset CreatedAt, string Key);

/// <summary>County admins issue, list and revoke partners' Open311 API keys.</summary>
public static class Open311KeysApi
{
    public const string Path = "/api/v1/grid/open311/keys";

    public static IEndpointRouteBuilder MapOpen311KeysApi(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup(Path).WithTags("Open311")
            .RequireAuthorization(ApiScopes.GridWrite)
            .RequireAuthorization(policy => policy.RequireRole(PracticeMeshRoles.CountyAdmin))
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        // The answer holds the key: it is not kept for replays.
        keys.MapPost("", CreateAsync).WithName("CreateOpen311Key").SkipIdempotency()
            .WithSummary("Issues an Open311 API key to a partner client; the key is shown in this answer only")
            .WithRequestExample("""{"clientId":"county-hotline","name":"12345 热线","division":"321324"}""");
        keys.MapGet("", ListAsync).WithName("ListOpen311Keys").WithSummary("The partners' Open311 keys within the caller's scope (no secrets)");
        keys.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeOpen311Key").WithSummary("Revokes a key: requests with it are refused (403)");
        return endpoints;
    }

    public static async Task<Created<CreatedOpen311KeyResponse>> CreateAsync(CreateOpen311KeyRequest request, GridDbContext db, Caller caller, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (key, secret) = Open311ApiKey.Create(request.ClientId, request.Name, request.Division, caller.Subject, now);
        caller.EnsureMayCreateIn(key.Division);
        db.Set<Open311ApiKey>().Add(key);
        // Every grid cell checks partners' keys: the key's hash goes to the others with the write.
        db.AddEvent(key.Changed(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{Path}/{key.Id}",
            new CreatedOpen311KeyResponse(key.Id, key.ClientId, key.Name, key.Division.Value, key.CreatedAt, secret));
    }

    public static async Task<Ok<List<Open311KeyResponse>>> ListAsync(GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        // A county holds a handful of partners: read them all and keep the caller's.
        var keys = await db.Set<Open311ApiKey>().AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Where(k => caller.Covers(k.Division)).OrderBy(k => k.ClientId, StringComparer.Ordinal).ThenBy(k => k.CreatedAt)
            .Select(Open311KeyResponse.From).ToList());
    }

    public static async Task<NoContent> RevokeAsync(Guid id, GridDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await db.Set<Open311ApiKey>().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || !caller.Covers(key.Division))
        {
            throw new NotFoundException($"No Open311 key {id}.");
        }
        var now = time.GetUtcNow();
        if (key.Active)
        {
            key.Revoke(now);
            db.AddEvent(key.Changed(now), now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Revoked at the same moment by someone else: it is revoked either way.
        }
        return TypedResults.NoContent();
    }
}

/// <summary>Keeps every partner key another grid cell issued or revoked, so a partner's request is checked in any cell.</summary>
public sealed class MirrorOpen311Key(GridDbContext db, TimeProvider time)
    : PracticeMesh.ServiceDefaults.Messaging.IdempotentConsumer<PracticeMesh.Contracts.Events.V1.Open311KeyChanged, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(PracticeMesh.Contracts.Events.V1.Open311KeyChanged message, CancellationToken cancellationToken)
    {
        var held = await Db.Set<Open311ApiKey>().SingleOrDefaultAsync(k => k.Id == message.KeyId, cancellationToken);
        var isNew = held is null;
        if (Open311ApiKey.Mirror(ref held, message) && isNew)
        {
            Db.Add(held!);
        }
    }
}
