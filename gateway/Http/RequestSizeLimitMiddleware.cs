using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;
using PracticeMesh.ServiceDefaults.Http;

namespace PracticeMesh.Gateway.Http;

/// <summary>
/// Rejects bodies over <see cref="GatewayOptions.MaxRequestBodyBytes"/> before a backend is contacted. A declared
/// Content-Length is checked up front (YARP would already have sent the headers by the time Kestrel notices); a
/// chunked body is capped by Kestrel through the per-request limit. A route may allow more with its metadata
/// <c>"MaxRequestBodyBytes"</c> (an activity's attachments: photos and scanned sign-in sheets of a few megabytes).
/// </summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var max = RouteLimit(context) ?? options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
                $"At most {max} bytes are accepted.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }
        return next(context);
    }

    /// <summary>The route's own limit, when its metadata names one.</summary>
    private static long? RouteLimit(HttpContext context) =>
        context.GetReverseProxyFeature().Route.Config.Metadata?.TryGetValue(MetadataName, out var value) == true
        && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : null;

    /// <summary>Route metadata naming the route's largest request body in bytes.</summary>
    public const string MetadataName = "MaxRequestBodyBytes";
}
