using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Security;
using Yarp.ReverseProxy;

namespace PracticeMesh.Gateway.OpenApi;

/// <summary>
/// One OpenAPI document for the whole API: each cluster's <c>/openapi/v1.json</c>, fetched from its configured
/// destination, merged (paths, components, tags), with the OAuth2 client-credentials and bearer schemes a partner
/// uses to try calls. Worked on as JSON rather than an object model so that whatever OpenAPI version a service
/// emits passes through intact.
/// </summary>
public sealed class OpenApiAggregator(
    IProxyStateLookup proxy,
    TimeProvider clock,
    IOptions<GatewayOptions> options,
    ILogger<OpenApiAggregator> logger) : IDisposable
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string OAuth2Scheme = "oauth2";
    public const string BearerScheme = "bearer";

    /// <summary>Descriptions keep their backticks and quotes readable; the document is served as JSON, never into HTML.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] ComponentKinds =
        ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks", "pathItems"];

    // Its own client rather than the factory's: the default resilience pipeline would retry a service that is down
    // for many seconds, and such a service is to be left out quickly instead.
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
    private readonly SemaphoreSlim gate = new(1, 1);
    private JsonObject? cached;
    private DateTimeOffset cachedUntil;

    /// <summary>The merged document with the token URL and server set for the address the caller used.</summary>
    public async Task<JsonObject> GetAsync(string publicBaseUrl, CancellationToken cancellationToken)
    {
        var document = (JsonObject)(await GetMergedAsync(cancellationToken)).DeepClone();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = publicBaseUrl });
        document["components"]!["securitySchemes"]![OAuth2Scheme]!["flows"]!["clientCredentials"]!["tokenUrl"] =
            publicBaseUrl + "/connect/token";
        return document;
    }

    private async Task<JsonObject> GetMergedAsync(CancellationToken cancellationToken)
    {
        if (cached is { } fresh && clock.GetUtcNow() < cachedUntil)
        {
            return fresh;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is null || clock.GetUtcNow() >= cachedUntil)
            {
                cached = await BuildAsync(cancellationToken);
                cachedUntil = clock.GetUtcNow() + options.Value.OpenApi.CacheDuration;
            }
            return cached;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Cluster metadata that leaves a cluster's document out of the API's ("OpenApi": "off").</summary>
    public const string OffMetadataName = "OpenApi";

    private async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        // A service's extra township cells (activities-b) serve the same document as its own cluster: only clusters a
        // route names are asked.
        var routed = proxy.GetRoutes().Select(route => route.Config.ClusterId).ToHashSet(StringComparer.Ordinal);
        var sources = proxy.GetClusters()
            .Where(cluster => routed.Contains(cluster.ClusterId))
            // The console's cluster (metadata "OpenApi": "off") serves pages, not a part of the API.
            .Where(cluster => cluster.Model.Config.Metadata?.TryGetValue(OffMetadataName, out var off) != true
                || !string.Equals(off, "off", StringComparison.OrdinalIgnoreCase))
            .Select(cluster => (Name: cluster.ClusterId, Address: cluster.Model.Config.Destinations?.Values.FirstOrDefault()?.Address))
            .Where(source => !string.IsNullOrWhiteSpace(source.Address))
            // A stable order decides which service keeps an unprefixed schema name.
            .OrderBy(source => source.Name, StringComparer.Ordinal)
            .ToList();
        var documents = await Task.WhenAll(sources.Select(source => FetchAsync(source.Name, source.Address!, cancellationToken)));

        var merged = Skeleton();
        for (var i = 0; i < sources.Count; i++)
        {
            if (documents[i] is { } document)
            {
                Merge(merged, sources[i].Name, document);
            }
        }
        return merged;
    }

    private async Task<JsonObject?> FetchAsync(string cluster, string address, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.OpenApi.FetchTimeout);
            var url = new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), DocumentPath.TrimStart('/'));
            using var response = await http.GetAsync(url, timeout.Token);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            if (await JsonNode.ParseAsync(stream, cancellationToken: timeout.Token) is JsonObject document && document.ContainsKey("openapi"))
            {
                return document;
            }
            logger.LogWarning("{Cluster} answered {Path} with something that is not an OpenAPI document; leaving it out.", cluster, DocumentPath);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException
                                       && !cancellationToken.IsCancellationRequested)
        {
            // A service that is down (or has no document) is left out rather than failing the whole page.
            logger.LogWarning(ex, "OpenAPI document of {Cluster} unavailable; leaving it out.", cluster);
            return null;
        }
    }

    private static JsonObject Skeleton()
    {
        var scopes = new JsonObject();
        foreach (var scope in ApiScopes.All)
        {
            scopes[scope] = Describe(scope);
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "PracticeMesh API",
                ["version"] = "v1",
                ["description"] =
                    "Every service of PracticeMesh behind one gateway. Get an access token at /connect/token with the " +
                    "client-credentials grant (your client id, secret and the scopes you need), then send it as " +
                    "`Authorization: Bearer <token>`. Send an `Idempotency-Key` header on POST to retry creates safely.",
            },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    [OAuth2Scheme] = new JsonObject
                    {
                        ["type"] = "oauth2",
                        ["description"] = "Partner systems: client credentials at the gateway's token endpoint.",
                        ["flows"] = new JsonObject
                        {
                            ["clientCredentials"] = new JsonObject { ["tokenUrl"] = "/connect/token", ["scopes"] = scopes },
                        },
                    },
                    [BearerScheme] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "An access token issued by the PracticeMesh identity service.",
                    },
                },
            },
            // Either scheme will do: the same bearer token arrives either way.
            ["security"] = new JsonArray(new JsonObject { [OAuth2Scheme] = new JsonArray() }, new JsonObject { [BearerScheme] = new JsonArray() }),
            ["tags"] = new JsonArray(),
        };
    }

    private static string Describe(string scope)
    {
        var parts = scope.Split('.');
        var verb = parts[^1] switch
        {
            "read" => "Read",
            "write" => "Change",
            "attend" => "Sign up, check in and out of",
            "report" => "Report",
            _ => parts[^1],
        };
        return $"{verb} {parts[0]}";
    }

    private void Merge(JsonObject merged, string cluster, JsonObject document)
    {
        var components = (JsonObject)merged["components"]!;
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var additions = new List<(string Kind, string Name, string As)>();
        if (document["components"] is JsonObject theirs)
        {
            foreach (var kind in ComponentKinds)
            {
                if (theirs[kind] is not JsonObject items)
                {
                    continue;
                }
                var ours = components[kind] as JsonObject;
                foreach (var (name, value) in items)
                {
                    if (ours?[name] is { } existing)
                    {
                        if (JsonNode.DeepEquals(existing, value))
                        {
                            // The same shape (problem details, shared value types): one definition serves both.
                            continue;
                        }
                        var renamed = UniqueName(ours, Pascal(cluster) + name);
                        renames[$"#/components/{kind}/{name}"] = $"#/components/{kind}/{renamed}";
                        additions.Add((kind, name, renamed));
                    }
                    else
                    {
                        additions.Add((kind, name, name));
                    }
                }
            }
        }

        var copy = (JsonObject)document.DeepClone();
        if (renames.Count > 0)
        {
            RewriteReferences(copy, renames);
        }
        foreach (var (kind, name, newName) in additions)
        {
            if (components[kind] is not JsonObject target)
            {
                components[kind] = target = new JsonObject();
            }
            target[newName] = copy["components"]![kind]![name]!.DeepClone();
        }

        var paths = (JsonObject)merged["paths"]!;
        if (copy["paths"] is JsonObject theirPaths)
        {
            foreach (var (path, item) in theirPaths)
            {
                if (paths.ContainsKey(path))
                {
                    logger.LogWarning("Path {Path} of {Cluster} is already documented by another service; keeping the first.", path, cluster);
                    continue;
                }
                paths[path] = item?.DeepClone();
            }
        }

        var tags = (JsonArray)merged["tags"]!;
        if (copy["tags"] is JsonArray theirTags)
        {
            foreach (var tag in theirTags.OfType<JsonObject>())
            {
                var name = tag["name"]?.GetValue<string>();
                if (name is not null && !tags.OfType<JsonObject>().Any(t => t["name"]?.GetValue<string>() == name))
                {
                    tags.Add(tag.DeepClone());
                }
            }
        }
    }

    public void Dispose()
    {
        http.Dispose();
        gate.Dispose();
    }

    private static string UniqueName(JsonObject existing, string candidate)
    {
        var name = candidate;
        for (var i = 2; existing.ContainsKey(name); i++)
        {
            name = candidate + i;
        }
        return name;
    }

    private static string Pascal(string cluster) =>
        string.Concat(cluster.Split('-', '_', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static void RewriteReferences(JsonNode? node, IReadOnlyDictionary<string, string> renames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var target)
                        && renames.TryGetValue(target, out var renamed))
                    {
                        obj[name] = renamed;
                    }
                    else
                    {
                        RewriteReferences(value, renames);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteReferences(item, renames);
                }
                break;
        }
    }
}
