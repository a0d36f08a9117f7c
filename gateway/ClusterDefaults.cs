using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace PracticeMesh.Gateway;

/// <summary>
/// What every cluster shares, applied once in code rather than repeated per cluster in configuration: active and
/// passive health checks, HTTP/1.1 to the services and the idle timeout. A cluster that names one of these in its
/// configuration keeps its own; configuration then only says where each service is.
/// </summary>
public sealed class ClusterDefaults : IProxyConfigFilter
{
    /// <summary>
    /// Probed every five seconds on <c>/health/ready</c> and taken out after two failed probes, so a replica that went
    /// down is skipped within about ten seconds; between probes, a replica that refuses half of the requests sent to it
    /// is skipped for fifteen seconds (passive). A service's own outage of a dependency it can do without (Redis)
    /// leaves it ready, so this never takes every replica out for that.
    /// </summary>
    public static readonly HealthCheckConfig HealthCheck = new()
    {
        Active = new ActiveHealthCheckConfig
        {
            Enabled = true,
            Interval = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromSeconds(3),
            Policy = "ConsecutiveFailures",
            Path = "/health/ready",
        },
        Passive = new PassiveHealthCheckConfig
        {
            Enabled = true,
            Policy = "TransportFailureRate",
            ReactivationPeriod = TimeSpan.FromSeconds(15),
        },
    };

    public static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string>
    {
        [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "2",
        [TransportFailureRateHealthPolicyOptions.FailureRateLimitMetadataName] = "0.5",
    };

    public static readonly HttpClientConfig HttpClient = new() { EnableMultipleHttp2Connections = false };

    /// <summary>HTTP/1.1 (the services speak it without TLS); a request idle for a minute is given up (504).</summary>
    public static readonly ForwarderRequestConfig HttpRequest = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromMinutes(1),
    };

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var metadata = new Dictionary<string, string>(Metadata);
        foreach (var (key, value) in cluster.Metadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }
        return ValueTask.FromResult(cluster with
        {
            HealthCheck = cluster.HealthCheck ?? HealthCheck,
            HttpClient = cluster.HttpClient ?? HttpClient,
            HttpRequest = cluster.HttpRequest ?? HttpRequest,
            Metadata = metadata,
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);
}
