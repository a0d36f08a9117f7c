using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using StackExchange.Redis;

namespace PracticeMesh.Gateway.RateLimiting;

/// <summary>Which counter a request draws from: a client or an IP, with the limit that applies to it.</summary>
public readonly record struct RateLimitKey(string Kind, string Id, int PermitsPerMinute);

public static class GatewayRateLimiting
{
    /// <summary>The YARP route policy (<c>RateLimiterPolicy</c>) for authenticated routes.</summary>
    public const string PerClientPolicy = "per-client";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A per-IP limit on every request (the global limiter) and a per-client limit on routes that name
    /// <see cref="PerClientPolicy"/>. Counters live in Redis when it is configured, so every replica draws from the
    /// same budget; in process otherwise.
    /// </summary>
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<RateLimiterFactory>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests.",
                    $"The rate limit is exceeded; retry after {seconds} s.");
            };
            options.AddPolicy<RateLimitKey, PerClientLimit>(PerClientPolicy);
        });
        services.AddOptions<RateLimiterOptions>().Configure<RateLimiterFactory, IOptions<GatewayOptions>>((options, factory, gateway) =>
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
            {
                // Kubernetes probes the health endpoints from one address all day.
                if (context.Request.Path.StartsWithSegments("/health"))
                {
                    return RateLimitPartition.GetNoLimiter(default(RateLimitKey));
                }
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.Get(new RateLimitKey("ip", ip, gateway.Value.RateLimiting.PerIpPermitsPerMinute), factory.Create);
            }));
        return services;
    }

    /// <summary>The client a token belongs to (a partner's client_id, else the person's sub) and its limit.</summary>
    private sealed class PerClientLimit(RateLimiterFactory factory, IOptions<GatewayOptions> options) : IRateLimiterPolicy<RateLimitKey>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

        public RateLimitPartition<RateLimitKey> GetPartition(HttpContext httpContext)
        {
            var user = httpContext.User;
            var client = user.FindFirst(PracticeMeshClaims.ClientId)?.Value ?? user.FindFirst(PracticeMeshClaims.Subject)?.Value;
            if (user.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(client))
            {
                // Anonymous callers have no client to count; the per-IP limit covers them.
                return RateLimitPartition.GetNoLimiter(default(RateLimitKey));
            }
            var limit = int.TryParse(user.FindFirst(PracticeMeshClaims.RateLimit)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var claimed) && claimed > 0
                ? claimed
                : options.Value.RateLimiting.PerClientPermitsPerMinute;
            return RateLimitPartition.Get(new RateLimitKey("client", client, limit), factory.Create);
        }
    }
}

/// <summary>Creates the limiter of one partition: Redis-backed when a multiplexer is registered, in process otherwise.</summary>
public sealed class RateLimiterFactory(IServiceProvider services, IOptions<GatewayOptions> options, ILogger<RedisFixedWindowRateLimiter> logger)
{
    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();

    public RateLimiter Create(RateLimitKey key) => redis is null
        ? new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = key.PermitsPerMinute,
            Window = GatewayRateLimiting.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        })
        // The limit is not part of the Redis key: a client whose limit changes keeps its current count.
        : new RedisFixedWindowRateLimiter(redis, $"{options.Value.RedisKeyPrefix}rl:{key.Kind}:{key.Id}", key.PermitsPerMinute,
            GatewayRateLimiting.Window, logger);
}
