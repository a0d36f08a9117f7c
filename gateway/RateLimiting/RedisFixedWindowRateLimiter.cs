using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace PracticeMesh.Gateway.RateLimiting;

/// <summary>
/// A fixed window counted in one Redis key, so all gateway replicas share it. Permits are drawn from Redis in
/// blocks of <see cref="BlockSize"/> (1 % of the limit, at most 100) and handed out locally, so a busy client costs
/// one Redis call per block rather than per request. One Lua call adds the block, starts the window on the first hit
/// and reports the time left, atomically. The price: a permit a replica drew but did not use is lost to the others,
/// so a client may be refused up to (replicas − 1) blocks before its limit — never admitted past it. Small limits
/// (under 200 a minute) count every request in Redis exactly.
/// </summary>
public sealed class RedisFixedWindowRateLimiter(
    IConnectionMultiplexer redis, string key, int permitLimit, TimeSpan window, ILogger<RedisFixedWindowRateLimiter> logger) : RateLimiter
{
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[2])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private readonly Lock _gate = new();
    /// <summary>Permits drawn from Redis and not yet handed out, valid until <see cref="_permitsExpire"/>.</summary>
    private int _permits;
    private long _permitsExpire;
    /// <summary>The shared window is spent until then: refuse without asking Redis.</summary>
    private long _refusedUntil;
    /// <summary>The draw in flight, which concurrent requests wait for instead of each asking Redis.</summary>
    private Task<bool>? _draw;
    private long _lastUsed = Stopwatch.GetTimestamp();

    public int BlockSize { get; } = Math.Clamp(permitLimit / 100, 1, 100);

    // Lets the partitioned limiter drop partitions nobody used for a while; the count itself stays in Redis.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    // The middleware tries this synchronous path first and takes the async one when the lease is not acquired,
    // so a request that needs Redis waits there.
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        lock (_gate)
        {
            return TryLocal(permitCount, Stopwatch.GetTimestamp()) ?? Lease.Pending;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        while (true)
        {
            Task<bool> draw;
            lock (_gate)
            {
                if (TryLocal(permitCount, Stopwatch.GetTimestamp()) is { } lease)
                {
                    return lease;
                }
                draw = _draw ??= DrawAsync();
            }
            var counted = await draw.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_draw == draw)
                {
                    _draw = null;
                }
            }
            if (!counted)
            {
                // Fail open: an unreachable Redis must not take the whole API down; the services still check every call.
                return Lease.Acquired;
            }
        }
    }

    /// <summary>A lease from what this replica already knows, or null when Redis must be asked.</summary>
    private Lease? TryLocal(int permitCount, long now)
    {
        if (_permits >= permitCount && now < _permitsExpire)
        {
            _permits -= permitCount;
            return Lease.Acquired;
        }
        return now < _refusedUntil ? new Lease(false, Stopwatch.GetElapsedTime(now, _refusedUntil)) : null;
    }

    /// <summary>Draws a block from the shared counter; false when Redis could not be asked.</summary>
    private async Task<bool> DrawAsync()
    {
        // Start the Redis call off the caller's lock.
        await Task.Yield();
        try
        {
            var result = (RedisResult[]?)await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, [key], [(long)window.TotalMilliseconds, BlockSize]);
            var count = (long)result![0];
            var expires = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromMilliseconds((long)result[1]).TotalSeconds * Stopwatch.Frequency);
            // The part of this block still under the limit.
            var granted = (int)Math.Clamp(permitLimit - (count - BlockSize), 0, BlockSize);
            lock (_gate)
            {
                if (_permitsExpire <= Stopwatch.GetTimestamp())
                {
                    _permits = 0;
                }
                _permits += granted;
                _permitsExpire = expires;
                if (granted < BlockSize)
                {
                    _refusedUntil = expires;
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Rate limit counter {Key} unavailable; letting the request through.", key);
            return false;
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
