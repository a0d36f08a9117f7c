using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticeMesh.Gateway.Tests;

/// <summary>What the backend saw of a forwarded request.</summary>
public sealed record EchoedRequest(string Path, string Query, string? CorrelationId, string? TraceParent);

/// <summary>
/// A real Kestrel server on a free loopback port standing in for a service: it answers every path with what it
/// received and, like a real service, echoes <c>X-Correlation-Id</c> on its response. A real socket (not an
/// in-memory handler) is what the gateway's pooled HTTP/1.1 client talks to in production.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private const string CorrelationHeader = "X-Correlation-Id";
    private readonly WebApplication app;

    private EchoBackend(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EchoBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        // The gateway's active health check probes this path.
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        app.Run(async context =>
        {
            var correlationId = Header(context, CorrelationHeader);
            if (correlationId is not null)
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
            }
            await context.Response.WriteAsJsonAsync(new EchoedRequest(
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                correlationId,
                Header(context, "traceparent")));
        });

        await app.StartAsync();
        // Port 0 lets the OS pick; the server reports the port it bound.
        var bound = app.Urls.Single();
        return new EchoBackend(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
