using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using PracticeMesh.Identity.Data;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// OpenIddict's application manager with one change: a partner's client secret is checked against every secret in
/// its <c>partner_client_secrets</c> rows that has not expired, not against the single secret OpenIddict keeps on the
/// application (which holds an unusable random value). So a new secret can be added while the old one still works,
/// and the old one removed once the partner has switched: rotation without downtime.
/// </summary>
public sealed class PartnerApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    IdentityDbContext db,
    TimeProvider time)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store) where TApplication : class
{
    public override async ValueTask<bool> ValidateClientSecretAsync(TApplication application, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }
        var clientId = await GetClientIdAsync(application, cancellationToken);
        var now = time.GetUtcNow();
        var secrets = await db.PartnerClientSecrets.AsNoTracking().Where(s => s.ClientId == clientId).ToListAsync(cancellationToken);
        // Every candidate is compared (in constant time each), so the answer's timing says nothing about which matched.
        var valid = false;
        foreach (var candidate in secrets)
        {
            valid |= candidate.IsUsable(now) & candidate.Matches(secret);
        }
        if (!valid)
        {
            Logger.LogInformation("Client {ClientId} presented a secret that matches none of its current secrets", clientId);
        }
        return valid;
    }
}
