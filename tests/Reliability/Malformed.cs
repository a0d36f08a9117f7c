using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PracticeMesh.Reliability;

/// <summary>One operation of the combined OpenAPI document.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, JsonElement? Body)
{
    public string Name => $"{Method} {Path}";
}

public sealed record Parameter(string Name, string In, bool Required, JsonElement Schema);

public sealed record MalformedResult(int Operations, int Sent, IReadOnlyDictionary<int, int> Statuses, IReadOnlyList<string> ServerErrors);

/// <summary>
/// Twenty malformed variants of every operation in the gateway's combined OpenAPI document (broken JSON, wrong types,
/// 1 MB strings, NUL characters, bad ids and codes, out-of-range dates and numbers, wrong content types), sent with a
/// county admin's token so they reach the handlers. Every answer should be a 4xx problem; a 5xx is a defect.
/// </summary>
public sealed class Malformed(HttpClient http, string token)
{
    private const string Marker = "\u0001MARK";
    private JsonElement _components;

    /// <summary>The variants: each turns an operation into the request to send.</summary>
    private static readonly (string Name, Func<Malformed, Operation, Request> Build)[] Variants =
    [
        ("broken JSON", (m, op) => m.Raw(op, "{\"title\": \"unterminated", "application/json")),
        ("JSON array for an object", (m, op) => m.Raw(op, "[1, 2, 3]", "application/json")),
        ("JSON null", (m, op) => m.Raw(op, "null", "application/json")),
        ("empty body", (m, op) => m.Raw(op, "", "application/json")),
        ("nesting 5000 deep", (m, op) => m.Raw(op, new string('[', 5000) + new string(']', 5000), "application/json")),
        ("invalid UTF-8", (m, op) => m.Build(op, (kind, _) => kind == "string" ? JsonValue.Create(Marker + "utf8") : null, bytes: BadUtf8)),
        ("wrong types", (m, op) => m.Build(op, (kind, _) => kind switch
        {
            "string" => JsonValue.Create(12345),
            "integer" or "number" => JsonValue.Create("abc"),
            "boolean" => JsonValue.Create("maybe"),
            "array" => new JsonObject { ["a"] = 1 },
            "object" => JsonValue.Create(7),
            _ => null,
        }, query: (kind, _) => kind is "integer" or "number" or "boolean" or "uuid" or "date-time" or "date" ? "abc" : null)),
        // In the body where the operation takes one; otherwise in the query alone (a server may answer 414 before
        // reading a body, and a client still sending one then sees no answer).
        ("1 MB strings", (m, op) => op.Body is null
            ? new Request(m.Target(op, null, (kind, _) => kind == "string" ? new string('a', 100_000) : null), null, "")
            : m.Build(op, FirstStringOnly(new string('a', 1_000_000)))),
        ("NUL characters", (m, op) => m.Build(op, (kind, _) => kind == "string" ? JsonValue.Create("a\u0000b") : null,
            path: (kind, _) => kind == "string" ? "a\u0000b" : null, query: (kind, _) => kind == "string" ? "a\u0000b" : null)),
        ("lone surrogates and control characters", (m, op) => m.Build(op, (kind, _) => kind == "string" ? JsonValue.Create(Marker + "surrogate") : null,
            query: (kind, _) => kind == "string" ? "%ED%A0%80%1F" : null)),
        ("malformed ids", (m, op) => m.Build(op, (kind, _) => kind == "uuid" ? JsonValue.Create("not-a-guid") : null,
            path: (kind, _) => kind == "uuid" ? "not-a-guid" : null, query: (kind, _) => kind == "uuid" ? "not-a-guid" : null)),
        ("unknown ids", (m, op) => m.Build(op, (kind, _) => kind == "uuid" ? JsonValue.Create(Guid.Empty) : null,
            path: (kind, _) => kind == "uuid" ? Guid.NewGuid().ToString() : null, query: (kind, _) => kind == "uuid" ? Guid.Empty.ToString() : null)),
        ("malformed codes", (m, op) => m.Build(op, (kind, name) => kind == "string" && IsCode(name) ? JsonValue.Create("32132A") : null,
            path: (kind, name) => IsCode(name) || kind == "string" ? "32132A" : null, query: (kind, name) => IsCode(name) ? "32132A" : null)),
        ("overlong codes", (m, op) => m.Build(op, (kind, name) => kind == "string" && IsCode(name) ? JsonValue.Create("３２１３２４１０４２０１９９９９９９") : null,
            path: (kind, name) => IsCode(name) || kind == "string" ? "3213241042019999999999" : null, query: (kind, name) => IsCode(name) ? "3213241042019999999999" : null)),
        ("dates at year 1", (m, op) => m.Build(op, (kind, _) => kind switch
        {
            "date-time" => JsonValue.Create("0001-01-01T00:00:00+14:00"),
            "date" => JsonValue.Create("0001-01-01"),
            _ => null,
        }, path: DatesAt("0001-01-01T00:00:00+14:00", "0000-01", "0"), query: DatesAt("0001-01-01T00:00:00+14:00", "0000-01", "0"))),
        ("dates past year 9999", (m, op) => m.Build(op, (kind, _) => kind switch
        {
            "date-time" => JsonValue.Create("9999-12-31T23:59:59-14:00"),
            "date" => JsonValue.Create("10000-01-01"),
            _ => null,
        }, path: DatesAt("9999-12-31T23:59:59-14:00", "9999-13", "99999"), query: DatesAt("9999-12-31T23:59:59-14:00", "9999-13", "99999"))),
        ("numbers past their type", (m, op) => m.Build(op, (kind, _) => kind switch
        {
            "integer" => JsonValue.Create(9_223_372_036_854_775_807L),
            "number" => JsonValue.Create(Marker + "1e400"),
            _ => null,
        }, path: (kind, _) => kind == "integer" ? "99999999999" : null, query: (kind, _) => kind is "integer" or "number" ? "99999999999999999999" : null)),
        ("negative numbers", (m, op) => m.Build(op, (kind, _) => kind switch
        {
            "integer" => JsonValue.Create(-2_147_483_648),
            "number" => JsonValue.Create(-1e308),
            _ => null,
        }, path: (kind, _) => kind == "integer" ? "-1" : null, query: (kind, _) => kind is "integer" or "number" ? "-1" : null)),
        ("text/plain body", (m, op) => m.Build(op, (_, _) => null, contentType: "text/plain")),
        ("XML body", (m, op) => m.Raw(op, "<activity><title>x</title></activity>", "application/xml")),
    ];

    private static bool IsCode(string name) =>
        name.Contains("code", StringComparison.OrdinalIgnoreCase) || name is "under" or "township" or "station" or "village";

    private static Func<string, string, string?> DatesAt(string dateTime, string month, string year) => (kind, name) => kind switch
    {
        "date-time" => dateTime,
        "date" => dateTime[..10],
        _ when name == "month" => month,
        _ when name == "year" => year,
        _ => null,
    };

    private static Func<string, string, JsonNode?> FirstStringOnly(string value)
    {
        var used = false;
        return (kind, _) =>
        {
            if (kind != "string" || used)
            {
                return null;
            }
            used = true;
            return JsonValue.Create(value);
        };
    }

    public static int VariantCount => Variants.Length;

    /// <summary>
    /// The combined document's operations, once it holds every service's paths: the gateway leaves out a service whose
    /// document did not come within its fetch timeout (a first, cold build on a busy machine) and keeps that for a minute.
    /// </summary>
    public async Task<IReadOnlyList<Operation>> OperationsAsync(IEnumerable<Uri> services, IReadOnlyList<string> prefixes)
    {
        foreach (var service in services)
        {
            // Builds each service's own document once, directly, so the gateway's fetch finds it warm.
            using var direct = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromMinutes(2) };
            using var _ = await direct.GetAsync("/openapi/v1.json");
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        JsonElement document;
        while (true)
        {
            using var response = await http.GetAsync("/openapi/v1.json");
            response.EnsureSuccessStatusCode();
            document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
            var missing = prefixes.Where(prefix => !paths.Any(p => p.StartsWith(prefix, StringComparison.Ordinal))).ToList();
            if (missing.Count == 0)
            {
                break;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The combined OpenAPI document still lacks {string.Join(", ", missing)}.");
            }
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        _components = document.TryGetProperty("components", out var components) ? components : default;
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var parameters = shared.Concat(method.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : [])
                    .Select(Resolve)
                    .Select(x => new Parameter(x.GetProperty("name").GetString()!, x.GetProperty("in").GetString()!,
                        x.TryGetProperty("required", out var r) && r.GetBoolean(), x.TryGetProperty("schema", out var s) ? s : default))
                    .ToList();
                JsonElement? body = null;
                if (method.Value.TryGetProperty("requestBody", out var requestBody)
                    && Resolve(requestBody).TryGetProperty("content", out var content)
                    && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema))
                {
                    body = schema;
                }
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        return operations;
    }

    public async Task<MalformedResult> SendAsync(IReadOnlyList<Operation> operations, int parallel)
    {
        var statuses = new ConcurrentDictionary<int, int>();
        var errors = new ConcurrentQueue<string>();
        var work = operations.SelectMany(op => Variants.Select(v => (op, v))).ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) =>
        {
            var built = item.v.Build(this, item.op);
            using var request = new HttpRequestMessage(new HttpMethod(item.op.Method), built.Target);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (item.op.Method == "POST")
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            }
            if (built.Content is not null)
            {
                request.Content = new ByteArrayContent(built.Content);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(built.ContentType);
            }
            int status;
            string body;
            try
            {
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                (status, body) = (0, ex.Message);
            }
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status is 0 or >= 500)
            {
                errors.Enqueue($"{status} {item.op.Name} ({item.v.Name}): {Partner.Shorten(body.ReplaceLineEndings(" "), 160)}");
            }
        });
        return new MalformedResult(operations.Count, work.Count, statuses, [.. errors.Order(StringComparer.Ordinal)]);
    }

    private sealed record Request(string Target, byte[]? Content, string ContentType);

    private Request Raw(Operation op, string body, string contentType) => new(Target(op, null, null), Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>
    /// A request whose path, query and body hold sample values, except where a mutation (by the value's kind: string,
    /// integer, number, boolean, uuid, date-time, date, array, object; and its name) gives another.
    /// </summary>
    private Request Build(Operation op, Func<string, string, JsonNode?> body, Func<string, string, string?>? path = null,
        Func<string, string, string?>? query = null, string contentType = "application/json", Func<byte[], byte[]>? bytes = null)
    {
        var target = Target(op, path, query);
        var node = op.Body is { } schema ? Sample(schema, "", body, 0) : Sample(default, "", body, 0);
        var text = node?.ToJsonString() ?? "{}";
        // Values JsonNode cannot hold (a lone surrogate, a number out of double's range, bytes that are not UTF-8).
        text = text.Replace($"\"{JsonEncoded(Marker)}surrogate\"", "\"\\ud800\\u001f\"", StringComparison.Ordinal)
            .Replace($"\"{JsonEncoded(Marker)}1e400\"", "1e400", StringComparison.Ordinal);
        var content = Encoding.UTF8.GetBytes(text);
        return new Request(target, bytes is null ? content : bytes(content), contentType);
    }

    private static string JsonEncoded(string value) => JsonSerializer.Serialize(value)[1..^1];

    /// <summary>The marked strings' bytes replaced with a sequence that is not UTF-8 (0xC3 0x28).</summary>
    private static byte[] BadUtf8(byte[] json)
    {
        var marker = Encoding.UTF8.GetBytes(JsonEncoded(Marker) + "utf8");
        var output = new List<byte>(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json.AsSpan(i).StartsWith(marker))
            {
                output.AddRange([0xC3, 0x28]);
                i += marker.Length - 1;
                continue;
            }
            output.Add(json[i]);
        }
        return [.. output];
    }

    private string Target(Operation op, Func<string, string, string?>? path, Func<string, string, string?>? query)
    {
        var target = op.Path;
        foreach (var p in op.Parameters.Where(p => p.In == "path"))
        {
            var kind = KindOf(p.Schema);
            var value = path?.Invoke(kind, p.Name) ?? SampleText(p.Name, kind, p.Schema);
            target = target.Replace("{" + p.Name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        var pairs = new List<string>();
        foreach (var p in op.Parameters.Where(p => p.In == "query"))
        {
            var kind = KindOf(p.Schema);
            var value = query?.Invoke(kind, p.Name) ?? (p.Required ? SampleText(p.Name, kind, p.Schema) : null);
            if (value is not null)
            {
                // Percent-escapes in a mutation are meant as they are (a surrogate's UTF-8 bytes, say).
                pairs.Add($"{p.Name}={(value.Contains('%') ? value : Uri.EscapeDataString(value))}");
            }
        }
        return pairs.Count == 0 ? target : $"{target}?{string.Join('&', pairs)}";
    }

    private JsonElement Resolve(JsonElement element)
    {
        var seen = 0;
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference) && seen++ < 20)
        {
            var parts = reference.GetString()!.TrimStart('#', '/').Split('/');
            if (parts.Length != 3 || parts[0] != "components" || _components.ValueKind != JsonValueKind.Object
                || !_components.TryGetProperty(parts[1], out var section) || !section.TryGetProperty(parts[2], out var target))
            {
                return default;
            }
            element = target;
        }
        return element;
    }

    /// <summary>The kind a mutation is chosen by: uuid, date-time and date before their JSON type.</summary>
    private string KindOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "string";
        }
        if (schema.TryGetProperty("format", out var format) && format.GetString() is { } f && f is "uuid" or "date-time" or "date")
        {
            return f;
        }
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
            foreach (var preferred in new[] { "object", "array", "integer", "number", "boolean", "string" })
            {
                if (types.Contains(preferred))
                {
                    return preferred;
                }
            }
        }
        if (schema.TryGetProperty("properties", out _))
        {
            return "object";
        }
        foreach (var union in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(union, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    var kind = KindOf(option);
                    if (Resolve(option).TryGetProperty("type", out var t) && t.GetString() == "null")
                    {
                        continue;
                    }
                    return kind;
                }
            }
        }
        return "string";
    }

    private JsonNode? Sample(JsonElement schema, string name, Func<string, string, JsonNode?> mutate, int depth)
    {
        schema = Resolve(schema);
        var kind = KindOf(schema);
        if (schema.ValueKind == JsonValueKind.Undefined && depth == 0)
        {
            // No declared body: an object with the usual fields, so the mutation has something to change.
            var fallback = new JsonObject();
            foreach (var (field, fieldKind) in new[] { ("name", "string"), ("code", "string"), ("id", "uuid"), ("at", "date-time"), ("count", "integer") })
            {
                fallback[field] = mutate(fieldKind, field) ?? SampleValue(field, fieldKind, default);
            }
            return fallback;
        }
        if (mutate(kind, name) is { } mutated)
        {
            return mutated;
        }
        switch (kind)
        {
            case "object":
                var result = new JsonObject();
                if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        result[property.Name] = Sample(property.Value, property.Name, mutate, depth + 1);
                    }
                }
                return result;
            case "array":
                return depth < 4 && schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, name, mutate, depth + 1)) : new JsonArray();
            default:
                return SampleValue(name, kind, schema);
        }
    }

    private JsonNode? SampleValue(string name, string kind, JsonElement schema) => kind switch
    {
        "integer" => JsonValue.Create(name == "year" ? DateTime.UtcNow.Year : 1),
        "number" => JsonValue.Create(1.5),
        "boolean" => JsonValue.Create(true),
        _ => JsonValue.Create(SampleText(name, kind, schema)),
    };

    /// <summary>A plausible value, so a variant fails for what it changed and not for something else.</summary>
    private string SampleText(string name, string kind, JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values)
            && values.EnumerateArray().FirstOrDefault(v => v.ValueKind == JsonValueKind.String) is { ValueKind: JsonValueKind.String } first)
        {
            return first.GetString()!;
        }
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        return kind switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "date-time" => now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            "date" => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "integer" => name == "year" ? now.Year.ToString(CultureInfo.InvariantCulture) : "1",
            "number" => "1.5",
            "boolean" => "true",
            _ when name == "month" => now.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ when name == "township" => Workload.Township,
            _ when name == "under" => Workload.County,
            _ when name == "clientId" => "demo-partner",
            _ when IsCode(name) => Workload.Township + "201",
            _ => "x",
        };
    }
}
