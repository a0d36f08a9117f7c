using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// The web console (控制台): a first-party public client (it runs in the browser and keeps no secret) that signs people
/// in with the authorization code flow and PKCE (S256) at the sign-in page, and keeps them signed in with refresh tokens.
/// </summary>
public static class ConsoleClient
{
    public const string ClientId = "practicemesh-console";

    /// <summary>The OpenIddict application as configuration (<see cref="ConsoleClientOptions"/>) describes it.</summary>
    public static OpenIddictApplicationDescriptor Describe(ConsoleClientOptions options)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            DisplayName = "新时代文明实践控制台 (web console)",
            ClientType = ClientTypes.Public,
            // First party: the person's own sign-in is the consent; no consent screen.
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var scope in ApiScopes.All)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        foreach (var uri in options.EffectiveRedirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }
        foreach (var uri in options.EffectivePostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(uri);
        }
        return descriptor;
    }
}

/// <summary>
/// Registers the console's application at start-up, or brings it in line with configuration (a county that changes its
/// console's address restarts identity and the new address counts). Always, not only with the demo: every county's
/// console signs in through it. A replica that loses the race to another is fine.
/// </summary>
internal sealed class ConsoleClientSeeder(IServiceScopeFactory scopes, DatabaseSchema<IdentityDbContext> schema, IdentityOptions options,
    ILogger<ConsoleClientSeeder> logger) : EarlyStartedService
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        // Read first, so a wrong address stops the start rather than the first sign-in.
        var wanted = ConsoleClient.Describe(options.Console);
        await schema.Ready.WaitAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        try
        {
            var existing = await applications.FindByClientIdAsync(ConsoleClient.ClientId, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(wanted, cancellationToken);
                logger.LogInformation("The console client {ClientId} is registered for {RedirectUris}", ConsoleClient.ClientId, wanted.RedirectUris);
                return;
            }
            var current = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(current, existing, cancellationToken);
            if (!Same(current, wanted))
            {
                await applications.UpdateAsync(existing, wanted, cancellationToken);
                logger.LogInformation("The console client {ClientId} now redirects to {RedirectUris}", ConsoleClient.ClientId, wanted.RedirectUris);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or OpenIddictExceptions.ConcurrencyException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation(ex, "The console client was registered by another replica");
        }
    }

    private static bool Same(OpenIddictApplicationDescriptor a, OpenIddictApplicationDescriptor b) =>
        a.ClientType == b.ClientType && a.ConsentType == b.ConsentType && a.DisplayName == b.DisplayName
        && a.Permissions.SetEquals(b.Permissions) && a.Requirements.SetEquals(b.Requirements)
        && a.RedirectUris.SetEquals(b.RedirectUris) && a.PostLogoutRedirectUris.SetEquals(b.PostLogoutRedirectUris);
}
