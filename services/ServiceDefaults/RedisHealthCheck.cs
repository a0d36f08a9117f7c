using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// Redis on the readiness probe, as Degraded (still ready) when it does not answer: every replica shares the one
/// Redis, so failing readiness would take them all out of the gateway and Kubernetes at once and turn a Redis outage
/// into a whole-API outage, although most requests need no Redis (the cache falls back to the database) and those that
/// do answer 503 with Retry-After themselves.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis does not answer; requests that need it are answered 503.", ex);
        }
    }
}
