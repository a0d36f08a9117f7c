using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>Scheme documents to and from their stored JSON text.</summary>
internal static class SchemeText
{
    public static string Write(SchemeDocument document) => JsonSerializer.Serialize(document, DefaultScheme.Json);

    public static SchemeDocument Read(string json) =>
        JsonSerializer.Deserialize<SchemeDocument>(json, DefaultScheme.Json) ?? throw new InvalidOperationException("A stored scheme is empty.");
}

/// <summary>
/// The county's stored schemes: for a year, its latest version, else the shipped default (version 0). Answers are kept
/// for the request (scope) only: a ranking reads the scheme once however many subjects it scores, yet the next request
/// sees a version stored in between, and whatever it produces names that version.
/// </summary>
internal sealed class SchemeStore(AssessmentDbContext db) : ISchemes
{
    private readonly Dictionary<(string County, int Year), ActiveScheme> _inForce = [];
    private readonly Dictionary<(string County, int Year, int Version), ActiveScheme?> _versions = [];

    public async Task<ActiveScheme> ForYearAsync(string county, int year, CancellationToken cancellationToken)
    {
        if (_inForce.TryGetValue((county, year), out var known))
        {
            return known;
        }
        var latest = await db.Set<SchemeVersion>().AsNoTracking()
            .Where(s => s.County == county && s.Year == year)
            .OrderByDescending(s => s.Version)
            .FirstOrDefaultAsync(cancellationToken);
        var active = latest?.ToActive() ?? DefaultScheme.For(county, year);
        _inForce[(county, year)] = active;
        _versions[(county, year, active.Ref.Version)] = active;
        return active;
    }

    public async Task<ActiveScheme?> VersionAsync(string county, int year, int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((county, year, version), out var known))
        {
            return known;
        }
        ActiveScheme? active = version switch
        {
            0 => DefaultScheme.For(county, year),
            < 0 => null,
            _ => (await db.Set<SchemeVersion>().AsNoTracking()
                .SingleOrDefaultAsync(s => s.County == county && s.Year == year && s.Version == version, cancellationToken))?.ToActive(),
        };
        _versions[(county, year, version)] = active;
        return active;
    }
}
