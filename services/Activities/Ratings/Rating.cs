using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Ratings;

/// <summary>A score of 1 to 5 with an optional comment (评单).</summary>
public static class Score
{
    public static (int Score, string? Comment) Validate(int score, string? comment)
    {
        var errors = new Dictionary<string, string[]>();
        if (score is < 1 or > 5)
        {
            errors["score"] = ["A score is 1 to 5."];
        }
        var trimmed = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (trimmed?.Length > 500)
        {
            errors["comment"] = ["A comment has at most 500 characters."];
        }
        return errors.Count > 0 ? throw new DomainValidationException(errors) : (score, trimmed);
    }
}

/// <summary>A resident's rating of a completed activity: one per resident per activity, within the window.</summary>
public sealed class ActivityRating
{
    private ActivityRating() { }

    public Guid ActivityId { get; private set; }
    public string ResidentId { get; private set; } = "";
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public Guid? TeamId { get; private set; }
    public int Score { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset RatedAt { get; private set; }

    public static (ActivityRating Rating, ActivityRated Event) Rate(Activity activity, string residentId, int score, string? comment, DateTimeOffset now, int windowDays)
    {
        var (valid, text) = Ratings.Score.Validate(score, comment);
        if (activity.Status != ActivityStatus.Completed || activity.CompletedAt is not { } completedAt)
        {
            throw new ConflictException($"Only a completed activity can be rated; this one is {Activity.Describe(activity.StatusAt(now))}.");
        }
        if (now > completedAt.AddDays(windowDays))
        {
            throw new ConflictException($"Ratings close {windowDays} days after completion.");
        }
        var rating = new ActivityRating
        {
            ActivityId = activity.Id, ResidentId = residentId, StationCode = activity.StationCode, DivisionCode = activity.DivisionCode,
            TeamId = activity.TeamId, Score = valid, Comment = text, RatedAt = now,
        };
        return (rating, new ActivityRated(Guid.CreateVersion7(now), now, activity.DivisionCode, activity.Id, activity.StationCode, activity.TeamId, valid, text));
    }
}
