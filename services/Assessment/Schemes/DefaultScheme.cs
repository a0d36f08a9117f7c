using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>
/// The scheme shipped with the service, built from the seed's rules (default-scheme.json, embedded): in force for any year
/// the county has not stored a scheme of its own for, as version 0.
/// </summary>
public static class DefaultScheme
{
    /// <summary>How scheme documents are read and written: camelCase, enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly Lazy<SchemeDocument> Document = new(() =>
    {
        using var stream = typeof(DefaultScheme).Assembly.GetManifestResourceStream("PracticeMesh.Assessment.Schemes.default-scheme.json")
            ?? throw new InvalidOperationException("The default scheme is not embedded.");
        return JsonSerializer.Deserialize<SchemeDocument>(stream, Json) ?? throw new InvalidOperationException("The default scheme is empty.");
    });

    public static ActiveScheme For(string county, int year) => new(new SchemeRef(county, year, 0), Document.Value with { Year = year });
}

/// <summary>Until the county stores schemes: the default for every year.</summary>
internal sealed class DefaultSchemes : ISchemes
{
    public Task<ActiveScheme> ForYearAsync(string county, int year, CancellationToken cancellationToken) => Task.FromResult(DefaultScheme.For(county, year));

    public Task<ActiveScheme?> VersionAsync(string county, int year, int version, CancellationToken cancellationToken) =>
        Task.FromResult(version == 0 ? DefaultScheme.For(county, year) : null);
}
