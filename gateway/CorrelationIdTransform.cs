using PracticeMesh.ServiceDefaults.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PracticeMesh.Gateway;

/// <summary>
/// The gateway's correlation-id middleware echoes the id on the response before forwarding, and the service
/// echoes the same id; YARP appends the copied header to the existing one, so the client would get "id, id".
/// </summary>
public static class CorrelationIdTransform
{
    public static void KeepSingleCorrelationId(TransformBuilderContext transforms) =>
        transforms.AddResponseTransform(context =>
        {
            // The middleware has put the effective id (the caller's or a new one) on the request.
            var http = context.HttpContext;
            http.Response.Headers[CorrelationIdMiddleware.HeaderName] = http.Request.Headers[CorrelationIdMiddleware.HeaderName];
            return ValueTask.CompletedTask;
        });
}
