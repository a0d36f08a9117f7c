using System.Globalization;
using System.Text.Json;
using PracticeMesh.Gateway.Http;
using PracticeMesh.ServiceDefaults.Dapr;
using PracticeMesh.ServiceDefaults.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

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

    /// <summary>
    /// Cluster metadata that keeps a cluster on its own address (<c>"Dapr": "off"</c>): the console's, whose
    /// interactive connection is a WebSocket, which service invocation does not carry.
    /// </summary>
    public const string OffMetadataName = "Dapr";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.Metadata?.TryGetValue(OffMetadataName, out var off) == true && string.Equals(off, "off", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(cluster);
        }
        return ValueTask.FromResult(cluster with
        {
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase)
            {
                [DestinationName] = new() { Address = InvokeAddress(dapr, cluster.ClusterId) },
            },
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);

    public static string InvokeAddress(DaprOptions dapr, string clusterId) =>
        new Uri(dapr.SidecarAddress, $"v1.0/invoke/{Uri.EscapeDataString(dapr.AppIdOf(clusterId))}/method/").ToString();
}

/// <summary>
/// A call daprd could not deliver (the app down or unknown to the mesh) is answered by daprd itself, with a 5xx and a
/// JSON body naming an <c>ERR_…</c> code. The caller gets what the gateway answers for any service it cannot reach: 503
/// with Retry-After, as problem details (never the sidecar's 500). The services never answer 5xx with such a body
/// (their errors are problem details), so only the sidecar's own answers are read and replaced.
/// </summary>
public sealed class DaprInvocationErrors(ILogger<DaprInvocationErrors> logger) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context) { }

    public void ValidateCluster(TransformClusterValidationContext context) { }

    public void Apply(TransformBuilderContext context) => context.AddResponseTransform(async transform =>
    {
        if (transform.ProxyResponse is not { } response || (int)response.StatusCode < 500
            || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return;
        }
        // Buffered, so an answer that is not the sidecar's is still passed on whole.
        var body = await response.Content.ReadAsStringAsync(transform.CancellationToken);
        if (SidecarErrorCode(body) is not { } errorCode)
        {
            return;
        }
        var http = transform.HttpContext;
        logger.LogWarning("Answered 503 to {Method} {Path}: the Dapr sidecar could not invoke the service ({Status} {ErrorCode})",
            http.Request.Method, http.Request.Path, (int)response.StatusCode, errorCode);
        transform.SuppressResponseBody = true;
        // Only what was copied from the sidecar's answer: the gateway's own headers (correlation id, security) stay.
        foreach (var (name, _) in response.Headers.Concat(response.Content.Headers))
        {
            http.Response.Headers.Remove(name);
        }
        http.Response.Headers.RetryAfter = ForwarderErrorMiddleware.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The service is unavailable.",
            "The service cannot be reached at the moment; send the request again after the time in Retry-After.");
    });

    private static string? SidecarErrorCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errorCode", out var code)
                && code.ValueKind == JsonValueKind.String && code.GetString() is { } text && text.StartsWith("ERR_", StringComparison.Ordinal)
                ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
