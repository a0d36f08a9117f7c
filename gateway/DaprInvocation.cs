using PracticeMesh.ServiceDefaults.Dapr;
using Yarp.ReverseProxy.Configuration;

namespace PracticeMesh.Gateway;

/// <summary>
/// With <c>Dapr:Enabled</c>, every cluster reaches its service through Dapr service invocation: its one destination
/// becomes the sidecar's <c>/v1.0/invoke/{app-id}/method/</c>, and the proxy appends the request's path to it
/// (<c>/api/v1/activities/…</c> → <c>http://localhost:3500/v1.0/invoke/activities/method/api/v1/activities/…</c>). The
/// app id is <c>Dapr:AppId:{cluster}</c>, else the cluster's id (also its Deployment's name, and so its app id).
/// </summary>
/// <remarks>
/// The invoke prefix rather than a <c>dapr-app-id</c> header: the prefix lives in the destination, so it follows
/// whichever cluster a request ends up at (the cell router re-points requests to <c>activities-b</c> and the like) with
/// no per-request transform, and the active health probe, which YARP sends to the destination without transforms,
/// reaches each service's <c>/health/ready</c> through the sidecar too; a header would leave the probe asking the
/// sidecar itself, which answers 404, and every cluster would be taken out. Load balancing, retries and mTLS between
/// replicas are then the mesh's; the gateway's own health checks still notice a service that cannot be reached.
/// </remarks>
public sealed class DaprInvocation(DaprOptions dapr) : IProxyConfigFilter
{
    public const string DestinationName = "dapr";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) =>
        ValueTask.FromResult(cluster with
        {
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase)
            {
                [DestinationName] = new() { Address = InvokeAddress(dapr, cluster.ClusterId) },
            },
        });

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);

    public static string InvokeAddress(DaprOptions dapr, string clusterId) =>
        new Uri(dapr.SidecarAddress, $"v1.0/invoke/{Uri.EscapeDataString(dapr.AppIdOf(clusterId))}/method/").ToString();
}
