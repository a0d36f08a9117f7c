using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Open311;

/// <summary>The two formats GeoReport v2 serves, chosen by the path's extension (<c>services.json</c>, <c>services.xml</c>).</summary>
public enum Open311Format { Json, Xml }

/// <summary>
/// Writes GeoReport v2 answers. Each answer is built once as JSON nodes and written either as JSON or as the spec's
/// XML (a root element, one child per item, one element per field), so both formats always carry the same fields in
/// the same order.
/// </summary>
public static class Open311Output
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string XmlContentType = "text/xml; charset=utf-8";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The element name of one item of a list, in the spec's XML (<c>&lt;endpoints&gt;&lt;endpoint&gt;</c>).</summary>
    private static readonly Dictionary<string, string> ItemNames = new(StringComparer.Ordinal)
    {
        ["endpoints"] = "endpoint",
        ["formats"] = "format",
        ["attributes"] = "attribute",
        ["values"] = "value",
    };

    public static bool TryParseFormat(string? text, out Open311Format format)
    {
        format = string.Equals(text, "xml", StringComparison.OrdinalIgnoreCase) ? Open311Format.Xml : Open311Format.Json;
        return string.Equals(text, "json", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "xml", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The format a path asks for: XML when it ends in <c>.xml</c>, JSON otherwise (also for unknown paths and errors).</summary>
    public static Open311Format FormatOf(string? path) =>
        path is not null && path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? Open311Format.Xml : Open311Format.Json;

    /// <summary>W3C date and time in China time, as the spec's examples write them: 2026-03-04T09:00:00+08:00.</summary>
    public static string W3C(DateTimeOffset at) =>
        at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string? W3C(DateTimeOffset? at) => at is { } value ? W3C(value) : null;

    /// <summary>A list: a JSON array, or <c>&lt;root&gt;&lt;item&gt;…&lt;/item&gt;&lt;/root&gt;</c>.</summary>
    public static IResult List(Open311Format format, string root, string item, IEnumerable<JsonObject> items, int status = StatusCodes.Status200OK)
    {
        var array = new JsonArray([.. items]);
        return format == Open311Format.Json
            ? Results.Text(array.ToJsonString(JsonOptions), JsonContentType, Encoding.UTF8, status)
            : Results.Text(Xml(root, item, array), XmlContentType, Encoding.UTF8, status);
    }

    /// <summary>One document: a JSON object, or <c>&lt;root&gt;</c> with its fields.</summary>
    public static IResult Document(Open311Format format, string root, JsonObject document) =>
        format == Open311Format.Json
            ? Results.Text(document.ToJsonString(JsonOptions), JsonContentType, Encoding.UTF8)
            : Results.Text(Xml(root, null, document), XmlContentType, Encoding.UTF8);

    /// <summary>The spec's error list: <c>[{code, description}]</c> or <c>&lt;errors&gt;&lt;error&gt;…</c>.</summary>
    public static string Errors(Open311Format format, int status, IEnumerable<string> descriptions)
    {
        var array = new JsonArray([.. descriptions.Select(d => (JsonNode)new JsonObject { ["code"] = status, ["description"] = d })]);
        return format == Open311Format.Json ? array.ToJsonString(JsonOptions) : Xml("errors", "error", array);
    }

    private static string Xml(string root, string? item, JsonNode content)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            if (content is JsonArray array)
            {
                foreach (var node in array)
                {
                    WriteElement(writer, item ?? "item", node);
                }
            }
            else
            {
                WriteChildren(writer, (JsonObject)content);
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteChildren(XmlWriter writer, JsonObject fields)
    {
        foreach (var (name, value) in fields)
        {
            WriteElement(writer, name, value);
        }
    }

    private static void WriteElement(XmlWriter writer, string name, JsonNode? value)
    {
        writer.WriteStartElement(name);
        switch (value)
        {
            case null:
                break;
            case JsonObject fields:
                WriteChildren(writer, fields);
                break;
            case JsonArray items:
                var itemName = ItemNames.GetValueOrDefault(name, "item");
                foreach (var child in items)
                {
                    WriteElement(writer, itemName, child);
                }
                break;
            default:
                writer.WriteString(XmlSafe(Text(value.AsValue())));
                break;
        }
        writer.WriteEndElement();
    }

    /// <summary>
    /// A description may hold characters XML 1.0 cannot carry (control characters other than tab and line breaks):
    /// they become U+FFFD, so the XML answer stays well-formed rather than failing.
    /// </summary>
    private static string XmlSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                safe.Append(text, i, 2);
                i++;
            }
            else
            {
                safe.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }
        return safe.ToString();
    }

    private static string Text(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => value.GetValue<string>(),
        // Numbers as JSON writes them (invariant, shortest round-trip form).
        _ => value.ToJsonString(),
    };
}
