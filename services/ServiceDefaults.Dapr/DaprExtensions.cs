using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// The Dapr wiring a host calls only when <see cref="DaprOptions.EnabledKey"/> is true; with Dapr off none of it runs,
/// so no Dapr assembly is loaded and no sidecar is called.
/// </summary>
public static class DaprExtensions
{
    /// <summary>
    /// Configuration from the Dapr secret store (<c>Dapr:SecretStore</c>, <c>Dapr:Secrets</c>). Call it before
    /// AddServiceDefaults, which reads connection strings and keys as it registers.
    /// </summary>
    public static IHostApplicationBuilder AddDaprSecretStore(this IHostApplicationBuilder builder)
    {
        var options = DaprOptions.From(builder.Configuration);
        var references = DaprSecretsConfigurationSource.ReferencesIn(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(options.SecretStore) && references.Count > 0)
        {
            builder.Configuration.Sources.Add(new DaprSecretsConfigurationSource(options, references));
        }
        return builder;
    }

    /// <summary>The sidecar's HTTP API (<see cref="DaprSidecar"/>) and <see cref="DaprEventPublisher"/>; once per process, whichever module asks first.</summary>
    public static IHostApplicationBuilder AddDaprSidecar(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(DaprOptions)))
        {
            return builder;
        }
        var options = DaprOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        // Retries and timeouts come from the resilience handler every HttpClient of the host has.
        builder.Services.AddHttpClient<DaprSidecar>(http => http.BaseAddress = options.SidecarAddress);
        builder.Services.TryAddTransient<DaprEventPublisher>();
        return builder;
    }

    /// <summary>
    /// What a host with topic endpoints needs: CloudEvents unwrapped to their data (the id, source and type kept as
    /// <c>Cloudevent.*</c> request headers, for the inbox), and <c>/dapr/subscribe</c>, where daprd reads which topics go to
    /// which endpoint. After MapServiceDefaults; the topic endpoints themselves are mapped by the modules.
    /// </summary>
    public static WebApplication UseDaprSubscriptions(this WebApplication app)
    {
        app.UseCloudEvents(new CloudEventsMiddlewareOptions
        {
            ForwardCloudEventPropertiesAsHeaders = true,
            IncludedCloudEventPropertiesAsHeaders = [DaprTopics.IdProperty, DaprTopics.SourceProperty, DaprTopics.TypeProperty],
        });
        app.MapSubscribeHandler();
        return app;
    }
}
