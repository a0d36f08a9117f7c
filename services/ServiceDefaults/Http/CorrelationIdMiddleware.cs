using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticeMesh.ServiceDefaults.Http;

/// <summary>
/// Every request gets a correlation id: the caller's <c>X-Correlation-Id</c> when it sent one, else a new one.
/// It is echoed on the response, put in the log scope and carried as trace baggage, so the gateway's id
/// follows a request into each service.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var id = context.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128)
        {
            id = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
            context.Request.Headers[HeaderName] = id;
        }
        // Set when the response starts, overwriting: behind the gateway a proxied response would otherwise carry
        // the service's copy as well.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("correlation.id", id);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
