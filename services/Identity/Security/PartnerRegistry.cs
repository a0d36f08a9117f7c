using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PracticeMesh.Identity.Security;

/// <summary>Registers a partner: its own row and secret, and the OpenIddict application that lets it use the token endpoint.</summary>
public sealed class PartnerRegistry(IdentityDbContext db, IOpenIddictApplicationManager applications)
{
    /// <summary>Saves the client with a first secret (generated unless given) and returns the secret's plain value.</summary>
    public async Task<(PartnerClientSecret Secret, string Value)> RegisterAsync(PartnerClient client, DateTimeOffset now, DateTimeOffset? expiresAt,
        string? secretValue, CancellationToken cancellationToken)
    {
        var conflict = new ConflictException($"A client with id {client.ClientId} is already registered.");
        if (await db.PartnerClients.AnyAsync(c => c.ClientId == client.ClientId, cancellationToken)
            || await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
        {
            throw conflict;
        }
        var secret = client.AddSecret(now, expiresAt, secretValue);
        db.PartnerClients.Add(client);

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName,
            ClientType = ClientTypes.Confidential,
            // OpenIddict insists on a secret for a confidential client; the real ones are in partner_client_secrets
            // (see PartnerApplicationManager), so this one is random and never shown.
            ClientSecret = PartnerClientSecret.Generate(),
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in client.ScopeList)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        // One transaction: OpenIddict's store saves the application (and with it everything tracked), then ours.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw conflict;
        }
        return secret;
    }
}
