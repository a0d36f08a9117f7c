using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace PracticeMesh.Gateway.RateLimiting;

/// <summary>
/// A fixed window counted in one Redis key, so all gateway replicas share it. One Lua call increments the counter,
/// starts the window on the first hit and reports the time left, atomically.
/// </summary>
public sealed class RedisFixedWindowRateLimiter(
    IConnectionMultiplexer redis, string key, int permitLimit, TimeSpan window, ILogger<RedisFixedWindowRateLimiter> logger) : RateLimiter
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private long lastUsed = Stopwatch.GetTimestamp();

    // Lets the partitioned limiter drop partitions nobody used for a while; the count itself stays in Redis.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    // The middleware tries the synchronous path first; a round trip to Redis belongs on the async one, which it
    // takes when this lease is not acquired.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Pending;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsed, Stopwatch.GetTimestamp());
        try
        {
            var result = (RedisResult[]?)await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [key], [(long)window.TotalMilliseconds]);
            var count = (long)result![0];
            var ttl = TimeSpan.FromMilliseconds((long)result[1]);
            return count <= permitLimit ? Lease.Acquired : new Lease(false, ttl);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Fail open: an unreachable Redis must not take the whole API down; the services still check every call.
            logger.LogWarning(ex, "Rate limit counter {Key} unavailable; letting the request through.", key);
            return Lease.Acquired;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);
        public static readonly Lease Pending = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
