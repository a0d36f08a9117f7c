using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeMesh.ServiceDefaults.Http;

/// <summary>
/// Text a database can store: PostgreSQL refuses U+0000 in any text value, and an unpaired UTF-16 surrogate has no
/// UTF-8 form at all. Such text is refused where it enters (query strings, JSON bodies) with a 400 naming the field,
/// before it can reach a query and fail there as a 500.
/// </summary>
public static class StorableText
{
    public const string Problem = "The text holds a NUL character (U+0000) or an unpaired surrogate, which cannot be stored.";

    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
        {
            return false;
        }
        // Almost all text has no surrogates at all; only pairs are checked one by one.
        for (var at = text.IndexOfAnyInRange('\uD800', '\uDFFF'); at >= 0; at = text.IndexOfAnyInRange('\uD800', '\uDFFF'))
        {
            if (Rune.DecodeFromUtf16(text[at..], out _, out var used) != OperationStatus.Done)
            {
                return false;
            }
            text = text[(at + used)..];
        }
        return true;
    }
}

/// <summary>
/// Every string read from a JSON body (values and dictionary keys) must be storable; otherwise the body is malformed
/// and the problem names the field by its JSON path.
/// </summary>
internal sealed class StorableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, found {reader.TokenType}.");
        }
        return Checked(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(string value) => StorableText.IsStorable(value) ? value : throw new JsonException(StorableText.Problem);
}
