using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PracticeMesh.ServiceDefaults.Http.Idempotency;

/// <summary>
/// One entry per (caller, key): "pending" while the first request runs, then the stored answer. Entries are plain
/// strings so that claiming a key is one atomic set-if-absent (which is also why this is not IDistributedCache: it
/// has no such operation, and without it two concurrent first requests would both reach the backend).
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Claims <paramref name="key"/> with <paramref name="pending"/>; when already taken, returns what is there.</summary>
    Task<string?> TryClaimAsync(string key, string pending, TimeSpan lockTime);

    /// <summary>Replaces the caller's own pending entry with the answer (does nothing if the claim was lost).</summary>
    Task CompleteAsync(string key, string pending, string completed, TimeSpan retention);

    /// <summary>Drops the caller's own pending entry so the request can be retried.</summary>
    Task ReleaseAsync(string key, string pending);
}

/// <summary>Shared by every replica (and the gateway's): one Redis key per (caller, key), set-if-absent.</summary>
public sealed class RedisIdempotencyStore(IConnectionMultiplexer redis, IOptions<IdempotencyOptions> options) : IIdempotencyStore
{
    private const string CompleteScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        end
        return false
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private RedisKey Key(string key) => $"{options.Value.RedisKeyPrefix}idem:{key}";

    public async Task<string?> TryClaimAsync(string key, string pending, TimeSpan lockTime)
    {
        var db = redis.GetDatabase();
        // Two tries: the entry may expire between the failed claim and the read.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await db.StringSetAsync(Key(key), pending, lockTime, When.NotExists))
            {
                return null;
            }
            var existing = await db.StringGetAsync(Key(key));
            if (existing.HasValue)
            {
                return existing.ToString();
            }
        }
        throw new RedisException("The idempotency key changed hands twice while being claimed.");
    }

    public Task CompleteAsync(string key, string pending, string completed, TimeSpan retention) =>
        redis.GetDatabase().ScriptEvaluateAsync(CompleteScript, [Key(key)], [pending, completed, (long)retention.TotalMilliseconds]);

    public Task ReleaseAsync(string key, string pending) =>
        redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key(key)], [pending]);
}

/// <summary>For a single process without Redis (the standalone host, a lone gateway, tests): the same semantics in process.</summary>
public sealed class MemoryIdempotencyStore : IIdempotencyStore, IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions());
    private readonly Lock gate = new();

    public Task<string?> TryClaimAsync(string key, string pending, TimeSpan lockTime)
    {
        lock (gate)
        {
            if (cache.TryGetValue(key, out string? existing) && existing is not null)
            {
                return Task.FromResult<string?>(existing);
            }
            cache.Set(key, pending, lockTime);
            return Task.FromResult<string?>(null);
        }
    }

    public Task CompleteAsync(string key, string pending, string completed, TimeSpan retention)
    {
        lock (gate)
        {
            if (cache.TryGetValue(key, out string? existing) && existing == pending)
            {
                cache.Set(key, completed, retention);
            }
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, string pending)
    {
        lock (gate)
        {
            if (cache.TryGetValue(key, out string? existing) && existing == pending)
            {
                cache.Remove(key);
            }
        }
        return Task.CompletedTask;
    }

    public void Dispose() => cache.Dispose();
}
