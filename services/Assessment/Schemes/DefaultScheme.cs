using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>
/// The scheme shipped with the service, built from the seed's rules (default-scheme.json, embedded): in force for any year
/// the county has not stored a scheme of its own for, as version 0.
/// </summary>
public static class DefaultScheme
{
    /// <summary>
    /// How scheme documents are read and written: camelCase, enums by name. A scheme is a document people write by hand,
    /// so what a lenient reader would guess at is refused instead and named: a number written as text, a method given as
    /// a number, a field the scheme does not have (a misspelt "pointsPerUnit" would otherwise be dropped without a word),
    /// a field given twice, null where a value is required. A field left out reads as empty or zero, which the
    /// validator refuses by name wherever it matters (a method left out is Linear).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
    };

    private static readonly Lazy<SchemeDocument> Document = new(() =>
    {
        using var stream = typeof(DefaultScheme).Assembly.GetManifestResourceStream("PracticeMesh.Assessment.Schemes.default-scheme.json")
            ?? throw new InvalidOperationException("The default scheme is not embedded.");
        return JsonSerializer.Deserialize<SchemeDocument>(stream, Json) ?? throw new InvalidOperationException("The default scheme is empty.");
    });

    /// <summary>The default as a document (year 0: it stands for any year).</summary>
    public static SchemeDocument Shipped => Document.Value;

    public static ActiveScheme For(string county, int year) => new(new SchemeRef(county, year, 0), Document.Value with { Year = year });
}
