using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PracticeMesh.ServiceDefaults.Http.Idempotency;

public static class IdempotencyExtensions
{
    /// <summary>
    /// Idempotency-Key's settings from <paramref name="section"/> (default <c>Idempotency</c>) and its store: Redis when
    /// <c>ConnectionStrings:redis</c> is set (replicas share keys), in process otherwise.
    /// </summary>
    public static OptionsBuilder<IdempotencyOptions> AddIdempotency(this IHostApplicationBuilder builder, IConfigurationSection? section = null)
    {
        var application = builder.Environment.ApplicationName;
        builder.Services.AddSingleton<IIdempotencyStore>(services => services.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisIdempotencyStore>(services, redis)
            : new MemoryIdempotencyStore());
        return builder.Services.AddOptions<IdempotencyOptions>()
            .Bind(section ?? builder.Configuration.GetSection(IdempotencyOptions.Section))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.RedisKeyPrefix))
                {
                    options.RedisKeyPrefix = $"practicemesh:{application.ToLowerInvariant()}:";
                }
            });
    }

    /// <summary>Keys sent to these endpoints are ignored: their answers (tokens, secrets) are never stored.</summary>
    public static TBuilder SkipIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SkipIdempotencyMetadata.Instance);
}
