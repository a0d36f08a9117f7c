using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;
using PracticeMesh.ServiceDefaults;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>
/// Reads a scheme sent as JSON or YAML. YAML is first turned into the JSON it stands for, so both are read by the same
/// deserializer (<see cref="DefaultScheme.Json"/>) and a mistake is named by the same field whichever was sent
/// ("indicators[2].target"). Anything that does not read is a 400, never a 500.
/// </summary>
public static partial class SchemeReader
{
    /// <summary>A scheme is a few kilobytes; a body past this is refused before it is read.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>YAML aliases can make a small text stand for a huge tree; no scheme comes near these.</summary>
    private const int MaxNodes = 20_000;
    private const int MaxDepth = 16;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static readonly IReadOnlyList<string> JsonTypes = ["application/json"];
    public static readonly IReadOnlyList<string> YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    public static async Task<SchemeDocument> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var yaml = IsYaml(request.ContentType);
        var body = await ReadBodyAsync(request, cancellationToken);
        // Editors on some systems save UTF-8 with a byte order mark; it is no part of the document.
        var text = body.AsSpan().StartsWith(Utf8Bom) ? body.AsSpan(Utf8Bom.Length) : body.AsSpan();
        return yaml ? FromYaml(text) : FromJson(text);
    }

    /// <summary>Reads JSON text; a malformed body or a value of the wrong type is a 400 naming its field.</summary>
    public static SchemeDocument FromJson(ReadOnlySpan<byte> json)
    {
        EnsureWellFormed(json);
        try
        {
            return JsonSerializer.Deserialize<SchemeDocument>(json, DefaultScheme.Json)
                ?? throw new DomainValidationException("body", "A scheme document is required.");
        }
        catch (JsonException e)
        {
            throw new DomainValidationException(FieldName(e.Path), Describe(e));
        }
    }

    /// <summary>Text that is no JSON at all is the body's fault, not that of the field the reader stopped in.</summary>
    private static void EnsureWellFormed(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw new DomainValidationException("body", $"Not valid JSON: {e.Message}");
        }
    }

    /// <summary>Reads YAML text: each plain scalar becomes what YAML 1.2's core schema makes it (null, true/false, a number), a quoted one stays text.</summary>
    public static SchemeDocument FromYaml(ReadOnlySpan<byte> yaml)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(yaml);
        }
        catch (DecoderFallbackException)
        {
            throw new DomainValidationException("body", "A YAML scheme is UTF-8 text.");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new DomainValidationException("body", $"Not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count != 1)
        {
            throw new DomainValidationException("body", "A YAML scheme is exactly one document.");
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var nodes = 0;
            WriteJson(writer, stream.Documents[0].RootNode, depth: 0, ref nodes);
        }
        return FromJson(buffer.WrittenSpan);
    }

    private static bool IsYaml(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            throw new BadHttpRequestException("Send the scheme as application/json or application/yaml.", StatusCodes.Status415UnsupportedMediaType);
        }
        if (YamlTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        return JsonTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
            ? false
            : throw new BadHttpRequestException($"A scheme is sent as application/json or application/yaml, not {type}.", StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new BadHttpRequestException($"A scheme is at most {MaxBytes / 1024} KB.", StatusCodes.Status413PayloadTooLarge);
        }
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBytes)
            {
                throw new BadHttpRequestException($"A scheme is at most {MaxBytes / 1024} KB.", StatusCodes.Status413PayloadTooLarge);
            }
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter writer, YamlNode node, int depth, ref int nodes)
    {
        if (++nodes > MaxNodes || depth > MaxDepth)
        {
            throw new DomainValidationException("body", "The YAML is nested too deeply or expands to too many values for a scheme.");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new DomainValidationException("body", $"A YAML key is plain text (line {key.Start.Line}).");
                    }
                    writer.WritePropertyName(name);
                    WriteJson(writer, value, depth + 1, ref nodes);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    WriteJson(writer, item, depth + 1, ref nodes);
                }
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new DomainValidationException("body", $"Unsupported YAML at line {node.Start.Line}.");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || (scalar.Tag.IsGlobal && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            writer.WriteStringValue(value);
            return;
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }
        // Decimal keeps the digits as written (0.70 stays 0.70), as JSON's number would; a plain scalar that is no
        // number stays text, and a numeric field given it is refused by name.
        if (LooksNumeric(value) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    /// <summary>YAML 1.2 core schema's decimal ints and floats (no hex, octal, .inf or .nan: no scheme needs them).</summary>
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Numeral();

    private static bool LooksNumeric(string value) => Numeral().IsMatch(value);

    // "$.indicators[2].target" -> "indicators[2].target"; the body as a whole when the path is unknown (as the service's problem handler names fields).
    private static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    /// <summary>The deserializer's message without the path and position it appends (the field name already says where).</summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
