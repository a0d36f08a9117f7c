using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Domain;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Api;

public sealed record StationMonthResponse(string StationCode, string Month, int CompletedActivities, int ParticipantCount, decimal VolunteerHours)
{
    public static StationMonthResponse From(StationMonth m) => new(m.StationCode, m.Month, m.CompletedActivities, m.ParticipantCount, m.VolunteerHours);
}

public static class AssessmentApi
{
    public static IEndpointRouteBuilder MapAssessmentApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead);
        api.MapGet("/stations/{code}/months/{month}", StationMonthAsync).WithName("GetStationMonth")
            .WithSummary("A station's completed activities and volunteer hours in a month (yyyy-MM, China time)");
        api.MapGet("/months/{month}", MonthAsync).WithName("ListStationMonths")
            .WithSummary("Every station's month under a division code prefix");
        return endpoints;
    }

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
        var record = await db.StationMonths.AsNoTracking().SingleOrDefaultAsync(m => m.StationCode == station.Value && m.Month == month, cancellationToken);
        // A month with no completed activity is a month of zeros, not a missing resource.
        return TypedResults.Ok(record is null ? new StationMonthResponse(station.Value, month, 0, 0, 0m) : StationMonthResponse.From(record));
    }

    public static async Task<Ok<List<StationMonthResponse>>> MonthAsync(string month, string? under, AssessmentDbContext db, Caller caller, AcceptedDates dates,
        CancellationToken cancellationToken)
    {
        dates.EnsureMonth("month", month);
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<StationMonthResponse>());
        }
        var records = await db.StationMonths.AsNoTracking().Where(m => m.Month == month && m.StationCode.StartsWith(prefix)).OrderBy(m => m.StationCode).ToListAsync(cancellationToken);
        return TypedResults.Ok(records.Select(StationMonthResponse.From).ToList());
    }
}
