using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Api;

public sealed record StationMonthResponse(string StationCode, string Month, int CompletedActivities, int ParticipantCount, decimal VolunteerHours);

public static class AssessmentApi
{
    public static RouteGroupBuilder MapAssessmentApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead);
        api.MapGet("/stations/{code}/months/{month}", StationMonthAsync).WithName("GetStationMonth")
            .WithSummary("A station's completed activities and volunteer hours in a month (yyyy-MM, China time)");
        api.MapGet("/months/{month}", MonthAsync).WithName("ListStationMonths")
            .WithSummary("Every station's month under a division code prefix");
        return api;
    }

    private static readonly string[] MonthMeasures = [M.ActivitiesCompleted, M.ActivityParticipants, M.ActivityHours];

    public static async Task<Ok<StationMonthResponse>> StationMonthAsync(string code, string month, AssessmentDbContext db, Caller caller, AcceptedDates dates,
        CancellationToken cancellationToken)
    {
        // Any site the registry takes, unit and mobile stations (321324104201-S01) too; its place decides scope.
        if (!StationCode.TryParse(code, out var station, out var error))
        {
            throw new DomainValidationException("code", error);
        }
        caller.EnsureCovers(station.Place, $"station {station}");
        dates.EnsureMonth("month", month);
        var cells = await db.MeasureCells.AsNoTracking()
            .Where(c => c.Kind == SubjectKind.Station && c.Subject == station.Value && c.Month == month && MonthMeasures.Contains(c.Measure))
            .ToListAsync(cancellationToken);
        // A month with no completed activity is a month of zeros, not a missing resource.
        return TypedResults.Ok(From(station.Value, month, cells));
    }

    public static async Task<Ok<List<StationMonthResponse>>> MonthAsync(string month, string? under, AssessmentDbContext db, Caller caller, AcceptedDates dates,
        CancellationToken cancellationToken)
    {
        dates.EnsureMonth("month", month);
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<StationMonthResponse>());
        }
        var cells = await db.MeasureCells.AsNoTracking()
            .Where(c => c.Kind == SubjectKind.Station && c.Month == month && c.Subject.StartsWith(prefix) && MonthMeasures.Contains(c.Measure))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(cells.GroupBy(c => c.Subject).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => From(g.Key, month, [.. g]))
            .Where(m => m.CompletedActivities != 0 || m.ParticipantCount != 0 || m.VolunteerHours != 0).ToList());
    }

    private static StationMonthResponse From(string station, string month, List<MeasureCell> cells)
    {
        long Get(string measure) => cells.FirstOrDefault(c => c.Measure == measure)?.Value ?? 0;
        return new(station, month, (int)Get(M.ActivitiesCompleted), (int)Get(M.ActivityParticipants), new ServiceTime((int)Get(M.ActivityHours)).Hours);
    }
}
