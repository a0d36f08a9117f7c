using Microsoft.AspNetCore.Http.HttpResults;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Measures;

/// <summary>
/// <c>POST /api/v1/assessment/rebuild/{period}?county=</c>: recomputes a period's cells from the stored facts
/// (<see cref="CellRebuilder"/>), for when a figure is in doubt or a fact's rule changed. The incremental cells and the
/// rebuilt ones are equal by construction, so a rebuild never changes a correct figure; it takes every month of the
/// period at once under the cells' table lock, so consumers wait for it rather than add to a month being replaced.
/// </summary>
public static class RebuildApi
{
    public static RouteGroupBuilder MapRebuildApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentWrite);
        api.MapPost("/rebuild/{period}", RebuildAsync).WithName("RebuildAssessmentPeriod")
            .WithSummary("Recompute a period's monthly figures (2026-03, 2026-Q1 or 2026) from the stored facts")
            .WithDescription("Example: POST /api/v1/assessment/rebuild/2026-Q1?county=321324. Needs assessment.write and a caller covering the county. "
                + "The figures of every subject in the period's months are recomputed (the result equals the incremental figures), and the volunteer "
                + "and team leaderboards of the period's year are marked for a refresh.");
        return api;
    }

    public static async Task<Ok<RebuildReport>> RebuildAsync(string period, string? county, CellRebuilder rebuilder, CellLedger cells,
        Data.AssessmentDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var parsed = Period.Parse(period);
        if (!DivisionCode.TryParse(county, out var code, out var error) || code.Tier != DivisionTier.County)
        {
            throw new DomainValidationException("county", county is null ? "The county (6 digits, e.g. 321324) is required." : $"A county is a 6-digit division code. {error}".Trim());
        }
        // A county-level write: the caller's scope must cover the whole county, not just a township of it.
        caller.EnsureCovers(code, $"county {code}");
        var report = await rebuilder.RebuildAsync(parsed, cancellationToken);
        // The leaderboards are read from the cells: every volunteer's and team's standing in the year may have moved.
        cells.Mark(SubjectKind.Volunteer, "*", parsed.Year);
        cells.Mark(SubjectKind.Team, "*", parsed.Year);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(report);
    }
}
