using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticeMesh.Gateway.Tests;

/// <summary>What the backend saw of a forwarded request.</summary>
public sealed record EchoedRequest(
    string Path, string Query, string? CorrelationId, string? TraceParent,
    string Method = "GET", string? Authorization = null, string Body = "", int Sequence = 0, string? Cell = null);

/// <summary>
/// A real Kestrel server on a free loopback port standing in for a service: it answers every path with what it
/// received and, like a real service, echoes <c>X-Correlation-Id</c> on its response. A real socket (not an
/// in-memory handler) is what the gateway's pooled HTTP/1.1 client talks to in production.
/// POSTs are "creates": 201 with a Location and a sequence number, so a second create is visible. A path containing
/// <c>/fail</c> answers 500.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private const string CorrelationHeader = "X-Correlation-Id";
    public const string SignInPagePolicy = "default-src 'none'; style-src 'sha256-test'; form-action 'self'";
    private readonly WebApplication app;
    private readonly ConcurrentQueue<EchoedRequest> received = new();
    private int sequence;

    private EchoBackend(WebApplication app, Uri address, string? cell, Func<HttpContext, EchoedRequest, Task<bool>>? answer)
    {
        this.app = app;
        Address = address;
        Cell = cell;
        this.answer = answer;
    }

    private readonly Func<HttpContext, EchoedRequest, Task<bool>>? answer;

    /// <summary>The township cell this backend stands for, echoed in every answer (<see cref="EchoedRequest.Cell"/>).</summary>
    public string? Cell { get; }

    public Uri Address { get; }

    /// <summary>Every request the backend answered, except health probes and its OpenAPI document.</summary>
    public IReadOnlyCollection<EchoedRequest> Received => received;

    private readonly ConcurrentDictionary<string, Held> holds = new();
    private readonly ConcurrentDictionary<string, bool> busyAnswered = new();

    /// <summary>
    /// Requests to <paramref name="path"/> wait until <see cref="Held.Release"/> is completed; <see cref="Held.Arrived"/>
    /// completes when the first one is there. Lets a test observe a request still in flight without sleeping.
    /// </summary>
    public Held Hold(string path) => holds.GetOrAdd(path, _ => new Held());

    public sealed class Held
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public int CountFor(string path) => received.Count(r => r.Path == path);

    /// <param name="openApiDocument">What it answers at /openapi/v1.json.</param>
    /// <param name="cell">The township cell it stands for, named in every echo.</param>
    /// <param name="answer">Answers a request itself (true) instead of echoing it, as a service's list would.</param>
    public static async Task<EchoBackend> StartAsync(string? openApiDocument = null, string? cell = null,
        Func<HttpContext, EchoedRequest, Task<bool>>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        EchoBackend? backend = null;

        app.Run(async context =>
        {
            switch (context.Request.Path.Value)
            {
                // The gateway's active health check probes this path.
                case "/health/ready":
                    await context.Response.WriteAsync("Healthy");
                    break;
                case "/openapi/v1.json" when openApiDocument is not null:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(openApiDocument);
                    break;
                default:
                    await backend!.AnswerAsync(context);
                    break;
            }
        });

        await app.StartAsync();
        // Port 0 lets the OS pick; the server reports the port it bound.
        var bound = app.Urls.Single();
        backend = new EchoBackend(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"), cell, answer);
        return backend;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var correlationId = Header(context, CorrelationHeader);
        if (correlationId is not null)
        {
            context.Response.Headers[CorrelationHeader] = correlationId;
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var echoed = new EchoedRequest(
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            correlationId,
            Header(context, "traceparent"),
            context.Request.Method,
            Header(context, "Authorization"),
            body,
            Interlocked.Increment(ref sequence),
            Cell);
        received.Enqueue(echoed);
        if (answer is not null && await answer(context, echoed))
        {
            return;
        }

        if (holds.TryGetValue(echoed.Path, out var held))
        {
            held.Arrived.TrySetResult();
            await held.Release.Task;
        }
        if (echoed.Path.Contains("/busy", StringComparison.Ordinal) && busyAnswered.TryAdd(echoed.Path, true))
        {
            // As a service answers while an earlier request with the same key is still running there (or was killed
            // mid-way and its claim has not lapsed yet): the first time only.
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            context.Response.Headers["Idempotency-In-Progress"] = "true";
            await context.Response.WriteAsJsonAsync(new { title = "A request with this Idempotency-Key is in progress." });
            return;
        }
        if (echoed.Path == "/connect/authorize")
        {
            // As identity's sign-in page: HTML with a policy of its own.
            context.Response.Headers.ContentSecurityPolicy = SignInPagePolicy;
        }
        if (echoed.Path.Contains("/fail", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = $"{echoed.Path}/{echoed.Sequence}";
        }
        await context.Response.WriteAsJsonAsync(echoed);
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    private int disposed;

    /// <summary>Stops the server (a service going down); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        foreach (var held in holds.Values)
        {
            held.Release.TrySetResult();
        }
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
