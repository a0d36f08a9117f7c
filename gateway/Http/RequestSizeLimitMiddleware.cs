using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Http;

namespace PracticeMesh.Gateway.Http;

/// <summary>
/// Rejects bodies over <see cref="GatewayOptions.MaxRequestBodyBytes"/> before a backend is contacted. A declared
/// Content-Length is checked up front (YARP would already have sent the headers by the time Kestrel notices); a
/// chunked body is capped by Kestrel through the per-request limit.
/// </summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var max = options.Value.MaxRequestBodyBytes;
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
}
