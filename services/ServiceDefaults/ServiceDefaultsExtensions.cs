using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using StackExchange.Redis;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// The web basics every host gets: the gateway calls these; a host of modules calls the overload with its modules
/// (ServiceDefaults.Data), which adds their databases and the bus on top.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Wires telemetry, health, resilience, problem details, input guards, the cache and bearer authentication.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddTelemetry();

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton(OffsetClock.FromConfiguration(builder.Configuration));
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        builder.AddProblemDetailsDefaults();
        builder.AddInputGuards();
        builder.AddCache();
        builder.AddPracticeMeshAuth();
        return builder;
    }

    /// <summary>
    /// Maps health endpoints (in every environment: Kubernetes probes them), what the host's <see cref="IServiceDefaultsPipeline"/>s
    /// add (a host of modules: its Idempotency-Key middleware and the modules' APIs) and OpenAPI.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseInputGuards();
        app.UseAuthentication();
        app.UseAuthorization();
        var additions = app.Services.GetServices<IServiceDefaultsPipeline>().ToList();
        foreach (var addition in additions)
        {
            addition.UseAfterAuthorization(app);
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });

        foreach (var addition in additions)
        {
            addition.MapEndpoints(app);
        }
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    private static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("System.Runtime")
                .AddMeter(PracticeMeshTelemetry.MeterName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource(PracticeMeshTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes are noise in traces.
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                if (!exporting)
                {
                    // With nowhere to send spans, keep the trace context (ids still flow on to the services and into
                    // logs and problem details) but record nothing: recording is a large part of a proxied call's CPU.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });

        if (exporting)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        builder.Services.AddOpenApi(OpenApiConventions.Configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, NoVoidBodies>());
    }

    /// <summary>Redis behind an in-process cache when <c>ConnectionStrings:redis</c> is set; in-process only otherwise.</summary>
    private static void AddCache(this IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetConnectionString("redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            var options = RedisOptions(redis);
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            // Cache:RedisKeyPrefix keeps the entries of several platforms on one Redis apart (test runs, environments).
            var keyPrefix = builder.Configuration["Cache:RedisKeyPrefix"];
            builder.Services.AddStackExchangeRedisCache(cache => cache.InstanceName = keyPrefix);
            // The cache shares the one multiplexer of the process.
            builder.Services.AddOptions<RedisCacheOptions>().Configure<IConnectionMultiplexer>((cache, multiplexer) =>
                cache.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer));
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        }
        builder.Services.AddHybridCache();
    }

    /// <summary>How long a Redis command or connect may take before the request is answered 503 instead.</summary>
    internal const int RedisTimeoutMilliseconds = 1000;

    /// <summary>
    /// The connection string's options, tuned so an outage is answered within a second rather than five: Redis
    /// answers in well under a millisecond on loopback or a cluster network, so a command or connect that takes a
    /// second means Redis is down or hung. Commands fail at once while the connection is known to be down (no backlog
    /// waiting for a reconnect that may never come, which would hold every request for the timeout); reconnects are
    /// tried at most two seconds apart so service resumes soon after Redis does. A timeout the connection string names
    /// itself wins (a managed Redis over TLS may need a longer connect).
    /// </summary>
    internal static ConfigurationOptions RedisOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Start without Redis and keep trying: the service answers what needs no Redis meanwhile.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        bool Names(string key) => connectionString.Contains(key + "=", StringComparison.OrdinalIgnoreCase);
        if (!Names("connectTimeout"))
        {
            options.ConnectTimeout = RedisTimeoutMilliseconds;
        }
        if (!Names("syncTimeout"))
        {
            options.SyncTimeout = RedisTimeoutMilliseconds;
        }
        if (!Names("asyncTimeout"))
        {
            options.AsyncTimeout = RedisTimeoutMilliseconds;
        }
        return options;
    }
}
