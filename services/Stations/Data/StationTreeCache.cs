using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Data;

/// <summary>
/// Tree reads (children, subtree) from the cache. Entries are keyed by the county's <see cref="TreeVersion"/>, read
/// from the database on each request (one primary-key row), so a change anywhere in the county makes every cached
/// subtree of it unreachable at once, on every replica, even with an in-process L1 (a tag removal would reach only
/// this process's L1). Entries of old versions are never read again and simply expire.
/// </summary>
public sealed class StationTreeCache(HybridCache cache)
{
    private static readonly HybridCacheEntryOptions Options = new() { Expiration = TimeSpan.FromMinutes(30), LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    public async Task<T> GetOrLoadAsync<T>(StationsDbContext db, string code, string view, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken)
    {
        var county = code[..6];
        var version = await db.TreeVersions.AsNoTracking().Where(v => v.County == county).Select(v => v.Version).SingleOrDefaultAsync(cancellationToken);
        return await cache.GetOrCreateAsync($"stations-tree:{county}:{version:N}:{view}:{code}", load, Options, cancellationToken: cancellationToken);
    }

    /// <summary>Writes a new version of the county's tree into the pending SaveChanges.</summary>
    public static async Task BumpAsync(StationsDbContext db, string county, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var version = await db.TreeVersions.FindAsync([county], cancellationToken);
        if (version is null)
        {
            db.TreeVersions.Add(TreeVersion.Start(county, now));
        }
        else
        {
            version.Bump(now);
        }
    }
}
