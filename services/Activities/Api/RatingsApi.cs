using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Domain;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Api;

public sealed record RateRequest(int Score, string? Comment);

public sealed record RatingSummary(int Count, decimal? Average);

public sealed record RatingResponse(Guid ActivityId, int Score, string? Comment, DateTimeOffset RatedAt);

/// <summary>Residents' ratings (评单) of completed activities, and averages per activity, team and station.</summary>
public static class RatingsApi
{
    public static RouteGroupBuilder MapRatingsApi(this RouteGroupBuilder api)
    {
        // Residents carry activities.read only: rating and ordering are what a resident does with what they read.
        api.MapPost("/{id:guid}/ratings", RateAsync).WithRequestExample("""{"score":5,"comment":"讲得通俗易懂"}""").WithName("RateActivity")
            .WithSummary("A resident rates a completed activity 1-5, once, within Activities:RatingWindowDays")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/{id:guid}/ratings", ActivitySummaryAsync).WithName("GetActivityRatings").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/ratings/summary", SummaryAsync).WithName("GetRatingSummary")
            .WithSummary("Average rating of a station's or a team's activities")
            .WithDescription("Example: ?stationCode=321324104201 or ?teamId=…")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        return api;
    }

    /// <summary>The resident behind the token; ratings and orders are theirs alone.</summary>
    internal static string ResidentOf(Caller caller) =>
        caller.Role == PracticeMeshRoles.Resident && caller.Subject is { Length: > 0 and <= 100 } subject
            ? subject
            : throw new ForbiddenException("Only a resident (signed in) does this.");

    public static async Task<Created<RatingResponse>> RateAsync(
        Guid id, RateRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, ActivitiesOptions options, CancellationToken cancellationToken)
    {
        var resident = ResidentOf(caller);
        var now = time.GetUtcNow();
        var activity = await ActivitiesApi.FindAsync(id, db, caller, cancellationToken);
        if (await db.Ratings.AnyAsync(r => r.ActivityId == id && r.ResidentId == resident, cancellationToken))
        {
            throw new ConflictException("You have already rated this activity.");
        }
        var (rating, rated) = ActivityRating.Rate(activity, resident, request.Score, request.Comment, now, options.RatingWindowDays);
        db.Ratings.Add(rating);
        db.AddEvent(rated, now);
        await ActivitiesApi.SaveAsync(db, cancellationToken);
        return TypedResults.Created($"/api/v1/activities/{id}/ratings", new RatingResponse(id, rating.Score, rating.Comment, now));
    }

    public static async Task<Ok<RatingSummary>> ActivitySummaryAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        await ActivitiesApi.FindAsync(id, db, caller, cancellationToken);
        return TypedResults.Ok(await SummarizeAsync(db.Ratings.Where(r => r.ActivityId == id), cancellationToken));
    }

    public static async Task<Ok<RatingSummary>> SummaryAsync(string? stationCode, Guid? teamId, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (stationCode is null == teamId is null)
        {
            throw new DomainValidationException("stationCode", "Name either a stationCode or a teamId.");
        }
        var prefix = caller.DivisionScope;
        var ratings = db.Ratings.Where(r => ((string)r.DivisionCode).StartsWith(prefix));
        ratings = stationCode is not null ? ratings.Where(r => r.StationCode == stationCode) : ratings.Where(r => r.TeamId == teamId);
        return TypedResults.Ok(await SummarizeAsync(ratings, cancellationToken));
    }

    private static async Task<RatingSummary> SummarizeAsync(IQueryable<ActivityRating> ratings, CancellationToken cancellationToken)
    {
        var scores = await ratings.Select(r => r.Score).ToListAsync(cancellationToken);
        return new RatingSummary(scores.Count, scores.Count == 0 ? null : Math.Round((decimal)scores.Sum() / scores.Count, 2));
    }
}
