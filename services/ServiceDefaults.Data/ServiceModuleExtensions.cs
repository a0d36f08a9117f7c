using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.ServiceDefaults;

/// <summary>The one call each service (and the standalone host) makes: the web basics, then its modules.</summary>
public static class ServiceModuleExtensions
{
    /// <summary>
    /// Wires the web basics (<see cref="ServiceDefaultsExtensions.AddServiceDefaults(IHostApplicationBuilder)"/>) and, when
    /// modules are given, their databases, the bus, the outbox relays and the inbox, with their telemetry.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, params IServiceModule[] modules)
    {
        ServiceDefaultsExtensions.AddServiceDefaults(builder);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("MassTransit")
                .AddMeter("Npgsql"))
            .WithTracing(tracing => tracing
                .AddSource("MassTransit")
                .AddEntityFrameworkCoreInstrumentation()
                .AddNpgsql());

        foreach (var module in modules)
        {
            // The module's own events, if any, are readable from outbox rows by name (Contracts' always are).
            IntegrationEventTypes.RegisterAssembly(module.GetType().Assembly);
            builder.Services.AddSingleton(module);
            module.AddServices(builder);
        }
        if (modules.Length > 0)
        {
            builder.AddMessaging(modules);
            // A host of modules answers partners itself (the standalone host has no gateway in front).
            builder.AddIdempotency();
            builder.Services.AddSingleton<IServiceDefaultsPipeline, ModulesPipeline>();
        }
        return builder;
    }

    /// <summary>A host of modules' share of <see cref="ServiceDefaultsExtensions.MapServiceDefaults"/>.</summary>
    private sealed class ModulesPipeline : IServiceDefaultsPipeline
    {
        public void UseAfterAuthorization(WebApplication app) =>
            // After authorization: keys are kept per caller. The gateway runs the same middleware in its proxy pipeline.
            app.UseMiddleware<IdempotencyMiddleware>();

        public void MapEndpoints(WebApplication app)
        {
            foreach (var module in app.Services.GetServices<IServiceModule>())
            {
                module.MapEndpoints(app);
            }
            foreach (var deadLetters in app.Services.GetServices<IOutboxDeadLetterEndpoints>())
            {
                deadLetters.Map(app);
            }
        }
    }
}
