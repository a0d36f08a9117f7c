using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticeMesh.TestSupport;

/// <summary>A request the stand-in answered: its method, path and the app id it was for (invocation only).</summary>
public sealed record SidecarRequest(string Method, string Path, string? AppId);

/// <summary>A CloudEvent the stand-in accepted for publishing.</summary>
public sealed record PublishedCloudEvent(string PubSub, string Topic, string? ContentType, JsonElement CloudEvent)
{
    public string Id => CloudEvent.GetProperty("id").GetString()!;
}

/// <summary>
/// A stand-in for daprd (which cannot be installed here): a real Kestrel server on a loopback port answering exactly
/// the sidecar HTTP API the platform calls: service invocation (<c>/v1.0/invoke/{app}/method/…</c>, or any path with a
/// <c>dapr-app-id</c> header) proxied to the app registered under that id; publish (<c>/v1.0/publish/{pubsub}/{topic}</c>),
/// recording the CloudEvents; secrets (<c>/v1.0/secrets/{store}/{name}</c>); and the health endpoints. Like daprd it
/// also delivers a CloudEvent to an app's topic endpoint, found by reading the app's <c>/dapr/subscribe</c>.
/// </summary>
public sealed class DaprSidecarStandIn : IAsyncDisposable
{
    public const string AppIdHeader = "dapr-app-id";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<SidecarRequest> requests = new();
    private readonly ConcurrentQueue<PublishedCloudEvent> published = new();
    private readonly ConcurrentDictionary<string, HttpClient> apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Store, string Name), Dictionary<string, string>> secrets = new();
    private int refusedPublishes;

    private DaprSidecarStandIn(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>The sidecar's HTTP endpoint (what <c>Dapr:HttpEndpoint</c> is set to).</summary>
    public Uri Address { get; private set; }

    /// <summary>Every request answered, health checks included, in order.</summary>
    public IReadOnlyCollection<SidecarRequest> Requests => requests;

    /// <summary>The CloudEvents accepted for publishing, in order.</summary>
    public IReadOnlyCollection<PublishedCloudEvent> Published => published;

    /// <summary>While true, publishing answers 500 as daprd does when its pub/sub broker cannot be reached.</summary>
    public bool PublishOutage { get; set; }

    /// <summary>How many publish calls were refused during an outage.</summary>
    public int RefusedPublishes => Volatile.Read(ref refusedPublishes);

    public static async Task<DaprSidecarStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new DaprSidecarStandIn(app, new Uri("http://127.0.0.1/"));
        app.Run(standIn.AnswerAsync);
        await app.StartAsync();
        var bound = app.Urls.Single();
        standIn.Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        return standIn;
    }

    /// <summary>Invocations of <paramref name="appId"/> go to <paramref name="app"/> (a client whose base address is the app).</summary>
    public void MapApp(string appId, HttpClient app) => apps[appId] = app;

    public void MapApp(string appId, Uri address) => MapApp(appId, new HttpClient { BaseAddress = address });

    public void AddSecret(string store, string name, Dictionary<string, string> values) => secrets[(store, name)] = values;

    public int CountPublished(string id) => published.Count(e => e.Id == id);

    /// <summary>
    /// Delivers <paramref name="cloudEvent"/> as daprd delivers a message of <paramref name="topic"/>: reads the app's
    /// <c>/dapr/subscribe</c>, posts the event to the route subscribed to it as <c>application/cloudevents+json</c>, and
    /// reads the app's answer by Dapr's contract: the <c>status</c> of a 200 (SUCCESS when it names none), DROP for a
    /// 404, RETRY for any other status.
    /// </summary>
    public static async Task<string> DeliverAsync(HttpClient app, string pubsub, string topic, object cloudEvent)
    {
        using var subscriptions = await app.GetAsync("dapr/subscribe");
        Require(subscriptions.IsSuccessStatusCode, $"GET /dapr/subscribe answered {(int)subscriptions.StatusCode}");
        var route = (await JsonDocument.ParseAsync(await subscriptions.Content.ReadAsStreamAsync())).RootElement.EnumerateArray()
            .Where(s => Text(s, "pubsubName") == pubsub && Text(s, "topic") == topic)
            .Select(s => Text(s, "route") ?? (s.TryGetProperty("routes", out var routes) ? Text(routes, "default") : null))
            .FirstOrDefault() ?? throw new InvalidOperationException($"The app subscribes nothing to {pubsub}/{topic}.");

        using var content = new StringContent(JsonSerializer.Serialize(cloudEvent), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        using var response = await app.PostAsync(route.TrimStart('/'), content);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return "DROP";
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return "RETRY";
        }
        var body = await response.Content.ReadAsStringAsync();
        return body.Length > 0 && JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } answer
            && answer.TryGetProperty("status", out var status) ? status.GetString()!.ToUpperInvariant() : "SUCCESS";
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Trim('/').Split('/');
        string? appId = context.Request.Headers[AppIdHeader].FirstOrDefault();
        if (segments is ["v1.0", "invoke", var invoked, "method", ..])
        {
            appId = Uri.UnescapeDataString(invoked);
            path = "/" + string.Join('/', segments[4..]);
        }
        requests.Enqueue(new SidecarRequest(context.Request.Method, context.Request.Path.Value ?? "/", appId));

        if (appId is not null)
        {
            await InvokeAsync(context, appId, path);
            return;
        }
        switch (segments)
        {
            case ["v1.0", "healthz"] or ["v1.0", "healthz", "outbound"]:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case ["v1.0", "publish", var pubsub, var topic] when HttpMethods.IsPost(context.Request.Method):
                if (PublishOutage)
                {
                    Interlocked.Increment(ref refusedPublishes);
                    await ErrorAsync(context, StatusCodes.Status500InternalServerError, "ERR_PUBSUB_PUBLISH_MESSAGE", "the broker cannot be reached");
                    return;
                }
                var cloudEvent = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
                published.Enqueue(new PublishedCloudEvent(pubsub, topic, context.Request.ContentType, cloudEvent));
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case ["v1.0", "secrets", var store, var name] when HttpMethods.IsGet(context.Request.Method):
                if (!secrets.TryGetValue((store, Uri.UnescapeDataString(name)), out var secret))
                {
                    await ErrorAsync(context, StatusCodes.Status500InternalServerError, "ERR_SECRET_GET", $"secret {name} not found in {store}");
                    return;
                }
                await context.Response.WriteAsJsonAsync(secret);
                return;
            default:
                await ErrorAsync(context, StatusCodes.Status404NotFound, "ERR_NOT_SUPPORTED", $"the stand-in does not answer {context.Request.Method} {path}");
                return;
        }
    }

    /// <summary>Forwards the request to the app (method, path and query, headers, body) and copies its answer back.</summary>
    private async Task InvokeAsync(HttpContext context, string appId, string path)
    {
        if (!apps.TryGetValue(appId, out var target))
        {
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, "ERR_DIRECT_INVOKE", $"app id {appId} is not known");
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path.TrimStart('/') + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals(AppIdHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        using var response = await target.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string errorCode, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { errorCode, message });
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var client in apps.Values)
        {
            client.Dispose();
        }
    }
}
