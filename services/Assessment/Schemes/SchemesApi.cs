using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>A scheme in force or stored: which county, year and version, and the document. The default (version 0) has no author or time.</summary>
public sealed record SchemeResponse(string County, int Year, int Version, string Name, DateTimeOffset? CreatedAt, string? CreatedBy, SchemeDocument Document);

/// <summary>One stored version, without its document.</summary>
public sealed record SchemeVersionSummary(int Version, string Name, DateTimeOffset CreatedAt, string? CreatedBy);

/// <summary>The indicator catalogue and the county's yearly schemes (考核方案), stored as versioned documents.</summary>
public static class SchemesApi
{
    private const string Base = "/api/v1/assessment";

    /// <summary>A store that loses the race for a version number reads the new latest and tries again this many times before answering 409.</summary>
    internal const int StoreAttempts = 10;

    public static IEndpointRouteBuilder MapSchemesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Base).WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead)
            .AuditAdminWrites<RouteGroupBuilder, AssessmentDbContext>("assessment");
        api.MapGet("/indicators", Indicators).WithName("ListIndicators")
            .WithSummary("Every indicator a scheme may score: code, name, unit of its value and target, and what it counts");
        api.MapGet("/schemes/default", Default).WithName("GetDefaultScheme")
            .WithSummary("The scheme shipped with the service, from the seed's rules (version 0, in force for a year the county stored none for)");
        api.MapGet("/schemes/{county}/{year}", InForceAsync).WithName("GetSchemeInForce")
            .WithSummary("The county's scheme in force for a year: its latest stored version, else the default (version 0)");
        api.MapGet("/schemes/{county}/{year}/versions", VersionsAsync).WithName("ListSchemeVersions")
            .WithSummary("The county's stored versions for a year, oldest first (none: the default is in force)");
        api.MapGet("/schemes/{county}/{year}/versions/{version}", VersionAsync).WithName("GetSchemeVersion")
            .WithSummary("One version of the county's scheme for a year (0 = the default)");
        api.MapPut("/schemes/{county}/{year}", PutAsync).WithName("PutScheme")
            .WithSummary("Stores a new version of the county's scheme for a year, as JSON or YAML (application/yaml); results from then on name it")
            .Accepts<SchemeDocument>("application/json", "application/yaml", "text/yaml")
            .WithRequestExample(System.Text.Json.JsonSerializer.Serialize(DefaultScheme.For("321324", 2027).Document,
                new System.Text.Json.JsonSerializerOptions(DefaultScheme.Json) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }))
            .ProducesValidationProblem()
            .RequireAuthorization(ApiScopes.AssessmentWrite);
        return endpoints;
    }

    public static Ok<IReadOnlyList<IndicatorDefinition>> Indicators() => TypedResults.Ok(IndicatorCatalog.All);

    public static Ok<SchemeDocument> Default() => TypedResults.Ok(DefaultScheme.Shipped);

    public static async Task<Ok<SchemeResponse>> InForceAsync(string county, string year, ISchemes schemes, AssessmentDbContext db, Caller caller,
        AcceptedDates dates, CancellationToken cancellationToken)
    {
        var (code, y) = Route(county, year, caller, dates);
        var active = await schemes.ForYearAsync(code, y, cancellationToken);
        return TypedResults.Ok(await ResponseAsync(active, code, y, db, cancellationToken));
    }

    public static async Task<Ok<List<SchemeVersionSummary>>> VersionsAsync(string county, string year, AssessmentDbContext db, Caller caller,
        AcceptedDates dates, CancellationToken cancellationToken)
    {
        var (code, y) = Route(county, year, caller, dates);
        var versions = await db.Set<SchemeVersion>().AsNoTracking()
            .Where(s => s.County == code && s.Year == y)
            .OrderBy(s => s.Version)
            .Select(s => new SchemeVersionSummary(s.Version, s.Name, s.CreatedAt, s.CreatedBy))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(versions);
    }

    public static async Task<Ok<SchemeResponse>> VersionAsync(string county, string year, string version, ISchemes schemes, AssessmentDbContext db,
        Caller caller, AcceptedDates dates, CancellationToken cancellationToken)
    {
        var (code, y) = Route(county, year, caller, dates);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            throw new DomainValidationException("version", "A version is a whole number from 0 (0 = the default).");
        }
        var active = await schemes.VersionAsync(code, y, v, cancellationToken)
            ?? throw new NotFoundException($"No version {v} of county {code}'s scheme for {y}.");
        return TypedResults.Ok(await ResponseAsync(active, code, y, db, cancellationToken));
    }

    /// <summary>
    /// Stores the document as the next version. Two requests at once both read the same latest version; the table's key
    /// lets one write it, and the other reads the new latest and writes the one after (so both succeed, in some order),
    /// answering 409 only if it keeps losing.
    /// </summary>
    public static async Task<Created<SchemeResponse>> PutAsync(string county, string year, HttpRequest request, AssessmentDbContext db, Caller caller,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var code = County(county);
        // Only those who reach the whole county change its scheme: a township's admin holds assessment.write for its own
        // publishing, not for the county's rules.
        caller.EnsureMayCreateIn(code);
        var y = dates.EnsureYear("year", Year(year));
        var document = await SchemeReader.ReadAsync(request, cancellationToken);
        SchemeValidator.Ensure(document, y);
        var now = time.GetUtcNow();
        var set = db.Set<SchemeVersion>();
        var next = await NextVersionAsync(db, code.Value, y, cancellationToken);
        var stored = new SchemeVersion(code.Value, y, next, document, now, caller.Name ?? caller.Subject ?? caller.ClientId);
        set.Add(stored);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt < StoreAttempts)
            {
                // Another request stored this number first: take the one after the new latest. The audit record queued
                // with this change is still pending and is written with the retry.
                db.Entry(stored).State = EntityState.Detached;
                stored.Renumber(await NextVersionAsync(db, code.Value, y, cancellationToken));
                set.Add(stored);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                throw new ConflictException($"Other versions of county {code}'s {y} scheme were being stored at the same time; read the versions and try again.");
            }
        }
        var active = stored.ToActive();
        return TypedResults.Created($"{Base}/schemes/{code}/{y}/versions/{stored.Version}",
            new SchemeResponse(code.Value, y, stored.Version, stored.Name, stored.CreatedAt, stored.CreatedBy, active.Document));
    }

    private static async Task<int> NextVersionAsync(AssessmentDbContext db, string county, int year, CancellationToken cancellationToken) =>
        (await db.Set<SchemeVersion>().AsNoTracking().Where(s => s.County == county && s.Year == year).MaxAsync(s => (int?)s.Version, cancellationToken) ?? 0) + 1;

    private static async Task<SchemeResponse> ResponseAsync(ActiveScheme active, string county, int year, AssessmentDbContext db, CancellationToken cancellationToken)
    {
        if (active.Ref.Version == 0)
        {
            return new(county, year, 0, active.Document.Name, null, null, active.Document);
        }
        var row = await db.Set<SchemeVersion>().AsNoTracking().Where(s => s.County == county && s.Year == year && s.Version == active.Ref.Version)
            .Select(s => new { s.CreatedAt, s.CreatedBy }).SingleOrDefaultAsync(cancellationToken);
        return new(county, year, active.Ref.Version, active.Document.Name, row?.CreatedAt, row?.CreatedBy, active.Document);
    }

    /// <summary>
    /// A county's scheme is read by everyone assessed under it (a station head sees the rules behind their score) and by
    /// those above it; a caller elsewhere finds no such county (404).
    /// </summary>
    private static (string County, int Year) Route(string county, string year, Caller caller, AcceptedDates dates)
    {
        var code = County(county);
        var scope = caller.DivisionScope;
        if (!code.IsWithin(scope) && !scope.StartsWith(code.Value, StringComparison.Ordinal))
        {
            throw new NotFoundException($"No county {code}.");
        }
        return (code.Value, dates.EnsureYear("year", Year(year)));
    }

    private static DivisionCode County(string county) =>
        DivisionCode.TryParse(county, out var code, out var error) && code.Tier == DivisionTier.County
            ? code
            : throw new DomainValidationException("county", string.IsNullOrEmpty(error) ? $"A scheme belongs to a county (6 digits), not to '{county}'." : error);

    private static int Year(string year) =>
        int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            ? y
            : throw new DomainValidationException("year", "A year is written with four digits, e.g. 2026.");
}
