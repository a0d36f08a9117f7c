using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// The parts of the sidecar's HTTP API the platform uses: publish, secrets and the outbound health check. Plain HTTP
/// rather than the SDK's DaprClient, which speaks gRPC to the sidecar and wraps a published payload in a CloudEvent of
/// its own making (with its own id); a structured CloudEvent posted here keeps the event's id.
/// </summary>
public sealed class DaprSidecar(HttpClient http)
{
    /// <summary>POST /v1.0/publish/{pubsub}/{topic} with the event as structured CloudEvents JSON; fails unless the sidecar accepts it.</summary>
    public async Task PublishAsync(string pubsub, string topic, CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(cloudEvent, mediaType: new MediaTypeHeaderValue(CloudEvent.ContentType));
        using var response = await http.PostAsync($"v1.0/publish/{Uri.EscapeDataString(pubsub)}/{Uri.EscapeDataString(topic)}", content, cancellationToken);
        await EnsureAcceptedAsync(response, $"publish to {pubsub}/{topic}", cancellationToken);
    }

    /// <summary>GET /v1.0/secrets/{store}/{name}: the secret's keys and values (a Kubernetes secret may hold several).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetSecretAsync(string store, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1.0/secrets/{Uri.EscapeDataString(store)}/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureAcceptedAsync(response, $"read secret {name} from {store}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken) ?? [];
    }

    /// <summary>GET /v1.0/healthz/outbound: true once the sidecar can serve the app's calls (it may start after the app).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("v1.0/healthz/outbound", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        // The sidecar answers errors as {"errorCode": "...", "message": "..."}; keep it for the log and the error queue.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new DaprSidecarException($"The Dapr sidecar refused to {what}: {(int)response.StatusCode} {body}", response.StatusCode);
    }
}

/// <summary>The sidecar answered a call with an error (its body is in the message).</summary>
public sealed class DaprSidecarException(string message, HttpStatusCode statusCode) : HttpRequestException(message, null, statusCode);
