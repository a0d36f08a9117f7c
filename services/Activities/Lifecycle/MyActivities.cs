using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Lifecycle;

/// <summary>One of my sign-ups with its activity; <c>CreditedHours</c> once the activity is completed.</summary>
public sealed record MyActivity(
    Guid ActivityId, string StationCode, string Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    ActivityStatus Status, string? Venue, string? Place, SignUpStatus SignUpStatus, int Position, DateTimeOffset SignedUpAt,
    DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt, decimal? CreditedHours);

/// <summary>
/// A period of my activities (by start, in China time): <c>Previous</c> is the period before, to page back through
/// the years; <c>CreditedHours</c> sums the period's completed ones.
/// </summary>
public sealed record MyActivities(
    Guid VolunteerId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MyActivity> Items, decimal CreditedHours, string Previous);

/// <summary>我的活动: the signed-in volunteer's own sign-ups, whatever station they were at.</summary>
public static class MyActivitiesApi
{
    /// <summary>The longest period one page covers.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapMyActivitiesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", MineAsync).WithName("GetMyActivities")
            .WithSummary("My sign-ups with their activities (status, times, credited hours once completed), one period at a time")
            .WithDescription("Example: ?from=2026-01-01T00:00:00%2B08:00&to=2027-01-01T00:00:00%2B08:00; by default this year in China time. A period is at most 366 days; `previous` links the one before.")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        return api;
    }

    public static async Task<Ok<MyActivities>> MineAsync(DateTimeOffset? from, DateTimeOffset? to, [AsParameters] ActivityServices s, AcceptedDates dates)
    {
        dates.Ensure(("from", from), ("to", to));
        var volunteer = s.Caller.VolunteerId ?? throw new NotFoundException("Your login is linked to no volunteer record.");
        var now = s.Time.GetUtcNow();
        var (yearStart, yearEnd) = ChinaTime.Year(ChinaTime.Today(now).Year);
        var (start, end) = (from, to) switch
        {
            (null, null) => (yearStart, yearEnd),
            ({ } f, null) => (f, f.AddYears(1)),
            (null, { } t) => (t.AddYears(-1), t),
            ({ } f, { } t) => (f, t),
        };
        if (end <= start)
        {
            throw new DomainValidationException("to", "The period ends after it starts.");
        }
        if (end - start > MaxPeriod)
        {
            throw new DomainValidationException("to", "A period covers at most 366 days; page through longer ones.");
        }
        var rows = await s.Db.SignUps.AsNoTracking().Where(su => su.VolunteerId == volunteer)
            .Join(s.Db.Activities.AsNoTracking().Where(a => a.StartsAt >= start && a.StartsAt < end), su => su.ActivityId, a => a.Id, (su, a) => new { su, a })
            .OrderByDescending(x => x.a.StartsAt).Take(ActivitiesApi.MaxListItems).ToListAsync(s.CancellationToken);
        var items = rows.Select(x => new MyActivity(x.a.Id, x.a.StationCode, x.a.Title, x.a.Category, x.a.StartsAt, x.a.EndsAt, x.a.StatusAt(now),
            x.a.Venue, x.a.Place, x.su.Status, x.su.Position, x.su.SignedUpAt, x.su.CheckedInAt, x.su.CheckedOutAt,
            x.a.Status == ActivityStatus.Completed ? x.su.CreditedHours : null)).ToList();
        var previous = $"/api/v1/activities/me?from={Uri.EscapeDataString((start - (end - start)).ToString("O"))}&to={Uri.EscapeDataString(start.ToString("O"))}";
        return TypedResults.Ok(new MyActivities(volunteer, start, end, items, items.Sum(i => i.CreditedHours ?? 0m), previous));
    }
}
