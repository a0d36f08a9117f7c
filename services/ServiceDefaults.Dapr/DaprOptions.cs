using Microsoft.Extensions.Configuration;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// <c>Dapr:*</c>. Dapr is optional: without <c>Dapr:Enabled</c> a host wires nothing of it and never calls a sidecar.
/// </summary>
public sealed class DaprOptions
{
    public const string Section = "Dapr";

    /// <summary>A constant, so a host can test it without loading this assembly (or any of Dapr's) when Dapr is off.</summary>
    public const string EnabledKey = "Dapr:Enabled";

    /// <summary>The sidecar's HTTP port on the pod's loopback, as daprd and the Dapr SDK default to.</summary>
    public const string DefaultHttpEndpoint = "http://localhost:3500";

    public bool Enabled { get; set; }

    /// <summary>
    /// The sidecar's HTTP API. Unset: <c>DAPR_HTTP_ENDPOINT</c>, else <c>http://127.0.0.1:$DAPR_HTTP_PORT</c> (the variables
    /// the sidecar injector sets, read as the Dapr SDK reads them), else <see cref="DefaultHttpEndpoint"/>.
    /// </summary>
    public string? HttpEndpoint { get; set; }

    /// <summary>The pub/sub component integration events are published to and partner reports arrive on.</summary>
    public string PubSub { get; set; } = "pubsub";

    /// <summary>The secret store component configuration values may come from (<c>Dapr:Secrets</c>); none by default.</summary>
    public string? SecretStore { get; set; }

    /// <summary>
    /// The gateway's map from cluster id to Dapr app id (<c>Dapr:AppId:activities-b</c>); a cluster not named here is
    /// invoked under its own id, which is also its Deployment's name and so its app id.
    /// </summary>
    public Dictionary<string, string> AppId { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a host waits at start for its sidecar to answer before reading secrets (daprd may start after the app).</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The sidecar's base address, with a trailing slash so relative API paths append to it.</summary>
    public Uri SidecarAddress => new(HttpEndpoint!.TrimEnd('/') + "/");

    public string AppIdOf(string clusterId) =>
        AppId.TryGetValue(clusterId, out var appId) && !string.IsNullOrWhiteSpace(appId) ? appId.Trim() : clusterId;

    /// <summary>Reads <c>Dapr:*</c> and resolves the sidecar's endpoint; a malformed one fails the start, not the first call.</summary>
    public static DaprOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DaprOptions>() ?? new DaprOptions();
        var port = configuration["DAPR_HTTP_PORT"];
        options.HttpEndpoint = FirstSet(options.HttpEndpoint, configuration["DAPR_HTTP_ENDPOINT"],
            string.IsNullOrWhiteSpace(port) ? null : $"http://127.0.0.1:{port.Trim()}") ?? DefaultHttpEndpoint;
        if (!Uri.TryCreate(options.HttpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"The Dapr sidecar endpoint '{options.HttpEndpoint}' is not an http(s) address (Dapr:HttpEndpoint, DAPR_HTTP_ENDPOINT or DAPR_HTTP_PORT).");
        }
        if (string.IsNullOrWhiteSpace(options.PubSub))
        {
            throw new InvalidOperationException("Dapr:PubSub must name the pub/sub component.");
        }
        return options;
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
