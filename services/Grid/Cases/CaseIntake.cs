using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Cases;

/// <summary>A problem as a reporter describes it (the API's body, Open311's request, a Dapr partner's message).</summary>
public sealed record NewCase(
    string? Category, string? Description, string? Address, double? Latitude, double? Longitude,
    string? GridCode, string? VillageCode, IReadOnlyList<string>? Media);

/// <summary>The case saved, and open cases of its category near it that may be the same problem.</summary>
public sealed record CaseReport(GridCase Case, IReadOnlyList<GridCase> PossibleDuplicates);

/// <summary>Grid service settings (<c>Grid:*</c>).</summary>
public sealed class GridOptions
{
    /// <summary>An open case of the same category this close to a new one is offered as a possible duplicate.</summary>
    public double DuplicateRadiusMeters { get; set; } = 250;
}

/// <summary>
/// The one way a case comes in, whoever reports it. The grid comes from the location where a grid's boundary
/// contains it; otherwise from the grid the reporter names; a location outside every grid goes to the village,
/// flagged. The village is the grid's, else the one named, else the reporter's own.
/// </summary>
public sealed class CaseIntake(GridDbContext db, IGridLocator locator, ICaseTimeLimits limits, GridOptions options, TimeProvider time)
{
    public static CaseReporter ReporterOf(Caller caller) => new(
        caller.Role switch
        {
            PracticeMeshRoles.Resident => CaseSource.Resident,
            PracticeMeshRoles.GridWorker => CaseSource.GridWorker,
            PracticeMeshRoles.Partner => CaseSource.Partner,
            _ => CaseSource.Staff,
        },
        caller.Role == PracticeMeshRoles.Partner ? null : caller.Subject,
        caller.Name, caller.Role, caller.ClientId);

    public async Task<CaseReport> ReportAsync(NewCase input, CaseReporter reporter, string reporterScope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var category = string.IsNullOrWhiteSpace(input.Category) ? null
            : await db.CaseCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == input.Category.Trim() && c.Active, cancellationToken);
        if (category is null)
        {
            throw new DomainValidationException("category", string.IsNullOrWhiteSpace(input.Category)
                ? "A category is required." : $"No category '{input.Category}'.");
        }

        string? gridCode = null;
        var outside = false;
        if (input.Latitude is { } lat && input.Longitude is { } lon && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
        {
            gridCode = await locator.LocateAsync(lat, lon, cancellationToken);
            outside = gridCode is null;
        }
        if (gridCode is null && !string.IsNullOrWhiteSpace(input.GridCode))
        {
            var named = await db.Grids.AsNoTracking().SingleOrDefaultAsync(g => g.Code == input.GridCode.Trim() && g.RetiredAt == null, cancellationToken)
                ?? throw new DomainValidationException("gridCode", $"No active grid {input.GridCode}.");
            gridCode = named.Code;
            outside = false;
        }
        if (gridCode is null && !outside && string.IsNullOrWhiteSpace(input.VillageCode))
        {
            gridCode = await ReportersGridAsync(reporter, now, cancellationToken);
        }
        var village = gridCode is not null ? DivisionCode.Parse(gridCode[..12]) : VillageOf(input.VillageCode, reporterScope);
        if (!village.IsWithin(ReportableScope(reporter, reporterScope)))
        {
            throw new ForbiddenException($"Village {village} is outside your division scope ({reporterScope}).");
        }

        var acceptBy = await limits.DueAtAsync(category, CaseStage.Acceptance, now, cancellationToken);
        var (reported, message) = GridCase.Report(CaseNumber.New(village, ChinaTime.Today(now)), village, gridCode, outside, category.Code, input.Description,
            input.Address, input.Latitude, input.Longitude, input.Media, reporter, now, acceptBy);
        var duplicates = await PossibleDuplicatesAsync(reported, cancellationToken);
        db.Cases.Add(reported);
        db.AddEvent(message, now);
        await db.SaveChangesAsync(cancellationToken);
        return new CaseReport(reported, duplicates);
    }

    /// <summary>Open cases of the same category within <see cref="GridOptions.DuplicateRadiusMeters"/>, nearest first.</summary>
    public async Task<IReadOnlyList<GridCase>> PossibleDuplicatesAsync(GridCase reported, CancellationToken cancellationToken)
    {
        if (reported.Latitude is not { } lat || reported.Longitude is not { } lon)
        {
            return [];
        }
        var radius = options.DuplicateRadiusMeters;
        // A latitude band narrows the rows on the index; the exact distance is measured here.
        var band = radius / GeoDistance.MetersPerDegreeLatitude;
        var near = await db.Cases.AsNoTracking()
            .Where(c => c.CategoryCode == reported.CategoryCode && c.Id != reported.Id
                && c.Latitude >= lat - band && c.Latitude <= lat + band)
            .Open()
            .Take(500).ToListAsync(cancellationToken);
        return [.. near.Select(c => (Case: c, Meters: GeoDistance.Meters(lat, lon, c.Latitude!.Value, c.Longitude!.Value)))
            .Where(c => c.Meters <= radius).OrderBy(c => c.Meters).Select(c => c.Case)];
    }

    /// <summary>
    /// A grid worker reporting without a location reports in their own grid: the one active grid they work today. A
    /// worker of several grids names one; anyone else falls back to a village.
    /// </summary>
    private async Task<string?> ReportersGridAsync(CaseReporter reporter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (reporter.Source != CaseSource.GridWorker || !Guid.TryParse(reporter.Subject, out var person))
        {
            return null;
        }
        var today = ChinaTime.Today(now);
        var grids = await db.Assignments.AsNoTracking()
            .Where(a => a.PersonId == person && a.Duty == GridDuty.Worker && a.From <= today && (a.Until == null || a.Until >= today))
            .Join(db.Grids.Where(g => g.RetiredAt == null), a => a.GridCode, g => g.Code, (a, g) => g.Code)
            .Distinct().ToListAsync(cancellationToken);
        return grids.Count switch
        {
            0 => null,
            1 => grids[0],
            _ => throw new DomainValidationException("gridCode", $"You work {grids.Count} grids ({string.Join(", ", grids)}): name the grid, or give a location."),
        };
    }

    private static DivisionCode VillageOf(string? villageCode, string reporterScope)
    {
        if (!string.IsNullOrWhiteSpace(villageCode))
        {
            if (!DivisionCode.TryParse(villageCode, out var named, out var error) || named.Tier != DivisionTier.Village)
            {
                throw new DomainValidationException("villageCode", named.Value is null ? error : "A 12-digit village code is required.");
            }
            return named;
        }
        return reporterScope.Length == 12 && DivisionCode.TryParse(reporterScope, out var own)
            ? own
            : throw new DomainValidationException("location", "Give a location inside a grid, a grid code or a village code.");
    }

    /// <summary>A resident may report anywhere in their county (problems are seen on the way); everyone else within their scope.</summary>
    private static string ReportableScope(CaseReporter reporter, string scope) =>
        reporter.Source == CaseSource.Resident && scope.Length >= 6 ? scope[..6] : scope;
}
