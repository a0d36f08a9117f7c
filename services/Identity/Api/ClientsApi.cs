using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Api;

public sealed record RegisterClientRequest(string? ClientId, string? DisplayName, List<string>? Scopes, string? Division, int? RateLimitPerMinute, DateTimeOffset? SecretExpiresAt);

public sealed record AddSecretRequest(DateTimeOffset? ExpiresAt);

public sealed record SecretResponse(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    public static SecretResponse From(PartnerClientSecret s) => new(s.Id, s.Hint, s.CreatedAt, s.ExpiresAt);
}

/// <summary>A new secret: <see cref="Secret"/> is shown this once and cannot be read again.</summary>
public sealed record NewSecretResponse(Guid Id, string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record ClientResponse(string ClientId, string DisplayName, IReadOnlyList<string> Scopes, string Division, int RateLimitPerMinute,
    DateTimeOffset CreatedAt, IReadOnlyList<SecretResponse> Secrets)
{
    public static ClientResponse From(PartnerClient c) => new(c.ClientId, c.DisplayName, c.ScopeList, c.DivisionScope, c.RateLimitPerMinute, c.CreatedAt,
        [.. c.Secrets.OrderBy(s => s.CreatedAt).Select(SecretResponse.From)]);
}

public sealed record RegisteredClientResponse(ClientResponse Client, NewSecretResponse Secret);

/// <summary>
/// <c>/api/v1/identity/clients</c>: partner systems, registered by county admins within their county. A client may
/// hold several secrets: add the new one, switch the partner over, then delete the old one.
/// </summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/identity/clients").WithTags("Identity")
            // As at the gateway (route metadata "Idempotency": "off"): answers with secrets are never stored.
            .SkipIdempotency()
            .RequireAuthorization(policy => policy.RequireRole(PracticeMeshRoles.CountyAdmin))
            .AuditAdminWrites<RouteGroupBuilder, IdentityDbContext>("identity");
        api.MapPost("/", RegisterAsync).WithRequestExample("""{"clientId":"county-hotline","displayName":"县12345热线","scopes":["activities.read","stations.read"],"division":"321324","rateLimitPerMinute":600}""").WithName("RegisterClient").WithSummary("Register a partner client; its first secret is in the answer, once");
        api.MapGet("/", ListAsync).WithName("ListClients");
        api.MapGet("/{clientId}", GetAsync).WithName("GetClient");
        api.MapPost("/{clientId}/secrets", AddSecretAsync).WithRequestExample("""{"expiresAt":"2030-01-01T00:00:00+08:00"}""").WithName("AddClientSecret").WithSummary("Add a secret; the others keep working");
        api.MapDelete("/{clientId}/secrets/{secretId:guid}", RemoveSecretAsync).WithName("RemoveClientSecret");
        return endpoints;
    }

    public static async Task<Created<RegisteredClientResponse>> RegisterAsync(RegisterClientRequest request, PartnerRegistry registry, Caller caller,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure("secretExpiresAt", request.SecretExpiresAt);
        var now = time.GetUtcNow();
        var client = PartnerClient.Register(request.ClientId, request.DisplayName, request.Scopes, request.Division, request.RateLimitPerMinute, now);
        EnsureMayManage(client, caller, forbidden: true);
        var (secret, value) = await registry.RegisterAsync(client, now, request.SecretExpiresAt, secretValue: null, cancellationToken);
        return TypedResults.Created($"/api/v1/identity/clients/{client.ClientId}",
            new RegisteredClientResponse(ClientResponse.From(client), new NewSecretResponse(secret.Id, value, secret.CreatedAt, secret.ExpiresAt)));
    }

    public static async Task<Ok<List<ClientResponse>>> ListAsync(IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var scope = caller.DivisionScope;
        var clients = await db.PartnerClients.AsNoTracking().Include(c => c.Secrets)
            .Where(c => c.DivisionScope.StartsWith(scope)).OrderBy(c => c.ClientId).ToListAsync(cancellationToken);
        return TypedResults.Ok(clients.Select(ClientResponse.From).ToList());
    }

    public static async Task<Ok<ClientResponse>> GetAsync(string clientId, IdentityDbContext db, Caller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(ClientResponse.From(await FindAsync(clientId, db, caller, cancellationToken)));

    public static async Task<Created<NewSecretResponse>> AddSecretAsync(string clientId, AddSecretRequest? request, IdentityDbContext db, Caller caller,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure("expiresAt", request?.ExpiresAt);
        var client = await FindAsync(clientId, db, caller, cancellationToken);
        var (secret, value) = client.AddSecret(time.GetUtcNow(), request?.ExpiresAt);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/identity/clients/{client.ClientId}/secrets/{secret.Id}",
            new NewSecretResponse(secret.Id, value, secret.CreatedAt, secret.ExpiresAt));
    }

    public static async Task<NoContent> RemoveSecretAsync(string clientId, Guid secretId, IdentityDbContext db, Caller caller, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var client = await FindAsync(clientId, db, caller, cancellationToken);
        client.RemoveSecret(secretId, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<PartnerClient> FindAsync(string clientId, IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var client = await db.PartnerClients.Include(c => c.Secrets).SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        if (client is null || !EnsureMayManage(client, caller, forbidden: false))
        {
            throw new NotFoundException($"No client {clientId}.");
        }
        return client;
    }

    /// <summary>A client's division scope must lie within the admin's: nobody hands out more reach than they have.</summary>
    private static bool EnsureMayManage(PartnerClient client, Caller caller, bool forbidden)
    {
        var scope = caller.DivisionScope;
        if (client.DivisionScope.StartsWith(scope, StringComparison.Ordinal))
        {
            return true;
        }
        return forbidden ? throw new ForbiddenException($"Division scope {client.DivisionScope} is outside your division scope ({scope}).") : false;
    }
}
