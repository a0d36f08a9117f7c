using OpenIddict.Abstractions;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// OpenIddict records every token it issues (so refresh tokens can be revoked); this removes the expired and revoked
/// ones every hour so the table stays small.
/// </summary>
internal sealed class TokenPruner(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var threshold = time.GetUtcNow().AddDays(-1);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next round tries again; a failed prune harms nothing.
                logger.LogWarning(ex, "Pruning expired tokens failed");
            }
        }
    }
}
