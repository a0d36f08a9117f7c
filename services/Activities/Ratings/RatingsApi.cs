using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Ratings;

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

    public static async Task<Created<RatingResponse>> RateAsync(Guid id, RateRequest request, [AsParameters] ActivityServices s)
    {
        var resident = s.Caller.ResidentOrRefuse();
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        if (await s.Db.Ratings.AnyAsync(r => r.ActivityId == id && r.ResidentId == resident, s.CancellationToken))
        {
            throw new ConflictException("You have already rated this activity.");
        }
        var (rating, rated) = ActivityRating.Rate(activity, resident, request.Score, request.Comment, now, s.Options.RatingWindowDays);
        s.Db.Ratings.Add(rating);
        s.Db.AddEvent(rated, now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Created($"/api/v1/activities/{id}/ratings", new RatingResponse(id, rating.Score, rating.Comment, now));
    }

    public static async Task<Ok<RatingSummary>> ActivitySummaryAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        await db.FindActivityAsync(id, caller, cancellationToken);
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
