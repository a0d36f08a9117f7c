using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lecturers;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Lifecycle;

public sealed record CreateActivityRequest(
    string? StationCode, string? Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, Guid? TeamId = null,
    PracticePlatform? Platform = null, string? Venue = null, string? Lecturer = null, string? Audience = null, string? Content = null,
    FestivalTag? FestivalTag = null, bool IsMobile = false, string? Place = null, double? Latitude = null, double? Longitude = null,
    Guid? LecturerId = null);

/// <summary>
/// A sign-up; with <c>JoinWaitlist</c> a full activity puts the volunteer on its waitlist instead of refusing. Without a
/// <c>VolunteerId</c> the signed-in volunteer signs up themselves.
/// </summary>
public sealed record SignUpRequest(Guid? VolunteerId = null, bool JoinWaitlist = false);
public sealed record CancelRequest(string? Reason);

/// <summary>Residents who attended, counted by the organiser (they do not sign up).</summary>
public sealed record CompleteRequest(int ResidentAttendees = 0);

public sealed record CorrectionRequest([property: Required] string? Reason, [property: Required] IReadOnlyList<PresenceCorrection>? Corrections);

public sealed record SignUpResponse(
    Guid VolunteerId, SignUpStatus Status, int Position, DateTimeOffset SignedUpAt, DateTimeOffset? ConfirmedAt,
    DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt, AttendanceMethod? CheckInMethod, AttendanceMethod? CheckOutMethod,
    string? AttendanceNote, decimal? CreditedHours)
{
    public static SignUpResponse From(SignUp s) => new(s.VolunteerId, s.Status, s.Position, s.SignedUpAt, s.ConfirmedAt,
        s.CheckedInAt, s.CheckedOutAt, s.CheckInMethod, s.CheckOutMethod, s.AttendanceNote, s.CreditedHours);
}

public sealed record ActivityResponse(
    Guid Id, string StationCode, string Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    int Capacity, Guid? TeamId, ActivityStatus Status, DateTimeOffset? PublishedAt, bool LateAnnouncement, DateTimeOffset? CompletedAt,
    PracticePlatform? Platform, string? Venue, string? Lecturer, string? Audience, string? Content, FestivalTag? FestivalTag,
    bool IsMobile, string? Place, double? Latitude, double? Longitude, DateTimeOffset? CancelledAt, string? CancelReason,
    int ConfirmedCount, int WaitlistCount, int ResidentAttendeeCount, int InterestedResidents, IReadOnlyList<SignUpResponse> SignUps,
    Guid? LecturerId = null, Guid? SeriesId = null)
{
    public static ActivityResponse From(Activity a, DateTimeOffset now, int interestedResidents = 0) => new(
        a.Id, a.StationCode, a.Title, a.Category, a.StartsAt, a.EndsAt, a.Capacity, a.TeamId, a.StatusAt(now), a.PublishedAt, a.LateAnnouncement,
        a.CompletedAt, a.Platform, a.Venue, a.Lecturer, a.Audience, a.Content, a.FestivalTag, a.IsMobile, a.Place, a.Latitude, a.Longitude,
        a.CancelledAt, a.CancelReason, a.ConfirmedCount, a.SignUps.Count(s => s.Status == SignUpStatus.Waitlisted), a.ResidentAttendeeCount,
        interestedResidents,
        a.SignUps.OrderBy(s => s.Position).Select(SignUpResponse.From).ToList(), a.LecturerId, a.SeriesId);
}

/// <summary>A row of a calendar or plan: an activity without its sign-ups.</summary>
public sealed record ActivitySummary(
    Guid Id, string StationCode, string Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, ActivityStatus Status,
    PracticePlatform? Platform, string? Venue, string? Place, string? Lecturer, string? Audience, string? Content, FestivalTag? FestivalTag,
    bool IsMobile, Guid? TeamId, int Capacity, bool LateAnnouncement, Guid? LecturerId = null, Guid? SeriesId = null)
{
    public static ActivitySummary From(Activity a, DateTimeOffset now) => new(a.Id, a.StationCode, a.Title, a.Category, a.StartsAt, a.EndsAt,
        a.StatusAt(now), a.Platform, a.Venue, a.Place, a.Lecturer, a.Audience, a.Content, a.FestivalTag, a.IsMobile, a.TeamId, a.Capacity, a.LateAnnouncement,
        a.LecturerId, a.SeriesId);
}

/// <summary>An activity's life: draft, announce, sign-up and withdrawal, completion with credited hours, corrections.</summary>
public static class LifecycleApi
{
    public static RouteGroupBuilder MapLifecycleApi(this RouteGroupBuilder api)
    {
        api.MapPost("/", CreateAsync).WithName("CreateActivity").WithSummary("Create a draft activity at a known station")
            .WithDescription("Example: {\"stationCode\":\"321324104201\",\"title\":\"学雷锋志愿服务\",\"category\":\"ConvenienceService\",\"startsAt\":\"2026-03-05T01:00:00Z\",\"endsAt\":\"2026-03-05T03:00:00Z\",\"capacity\":20,\"platform\":\"Culture\",\"venue\":\"村文化广场\",\"festivalTag\":\"LeiFengDay\"}; a mobile activity sets isMobile, place, latitude and longitude.")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/", ListAsync).WithName("ListActivities")
            .WithSummary("Activities under a division prefix in a time range (a township's month calendar)")
            .WithDescription($"Example: ?under=321324104&from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00. At most {ActivitiesApi.MaxListItems}, ordered by start.")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/{id:guid}", GetAsync).WithName("GetActivity").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPost("/{id:guid}/publish", PublishAsync).WithName("PublishActivity")
            .WithSummary("Announce a draft; fewer than Activities:AnnounceDaysAhead days ahead it is flagged lateAnnouncement")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/cancel", CancelAsync).WithRequestExample("""{"reason":"暴雨预警, 活动改期"}""").WithName("CancelActivity").WithSummary("Call an activity off with a reason")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/sign-ups", SignUpAsync).WithRequestExample("""{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","joinWaitlist":false}""").WithName("SignUpForActivity")
            .WithSummary("Take a place, or with joinWaitlist wait for one when full; overlapping activities are refused")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapDelete("/{id:guid}/sign-ups/{volunteerId:guid}", WithdrawAsync).WithName("WithdrawSignUp")
            .WithSummary("Withdraw before the start; the longest-waiting volunteer moves up")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/complete", CompleteAsync).WithRequestExample("""{"residentAttendees":35}""").WithName("CompleteActivity")
            .WithSummary("Complete: publishes ActivityCompleted with every participant's credited hours")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/corrections", CorrectAsync).WithRequestExample("""{"reason":"签到设备故障, 按签到表更正","corrections":[{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","checkedInAt":"2026-03-05T01:00:00Z","checkedOutAt":"2026-03-05T02:59:30Z"}]}""").WithName("CorrectCompletedActivity")
            .WithSummary("Correct presences after completion; publishes ActivityCompletionCorrected with the hour deltas")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapMyActivitiesApi();
        return api;
    }
    public static async Task<Created<ActivityResponse>> CreateAsync(CreateActivityRequest request, [AsParameters] ActivityServices s, AcceptedDates dates)
    {
        dates.Ensure(("startsAt", request.StartsAt), ("endsAt", request.EndsAt));
        var station = await StationForNewActivityAsync(s, request.StationCode, request.TeamId);
        // A lecturer from the pool is named by their pool's name; free text stays possible without one.
        var lecturer = request.LecturerId is { } lecturerId
            ? (await LecturersApi.ForStationAsync(s.Db, lecturerId, station.DivisionCode, s.CancellationToken)).Name
            : request.Lecturer;
        var now = s.Time.GetUtcNow();
        var activity = Activity.Create(station, new ActivityDetails(request.Title, request.Category, request.StartsAt, request.EndsAt, request.Capacity,
            request.TeamId, request.Platform, request.Venue, lecturer, request.Audience, request.Content, request.FestivalTag,
            request.IsMobile, request.Place, request.Latitude, request.Longitude, request.LecturerId), now);
        s.Db.Activities.Add(activity);
        await s.Db.SaveChangesAsync(s.CancellationToken);
        return TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityResponse.From(activity, now));
    }

    /// <summary>The known, open-to-the-caller station a new activity (or series) is held at, and its team's township check.</summary>
    internal static async Task<KnownStation> StationForNewActivityAsync(ActivityServices s, string? stationCode, Guid? teamId)
    {
        // Any site the registry takes: a place's station (321324104201) or a unit station (321324104201-S01), whose place decides scope.
        if (!StationCode.TryParse(stationCode, out var code, out var error))
        {
            throw new DomainValidationException("stationCode", error);
        }
        s.Caller.EnsureMayCreateIn(code.Place);
        var station = await s.Db.Stations.AsNoTracking().SingleOrDefaultAsync(st => st.Code == code.Value, s.CancellationToken)
            ?? throw new NotFoundException($"No station {code} is known here (yet): register it with the stations service first.");
        if (teamId is { } team && await s.Db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == team, s.CancellationToken) is { } known
            && known.DivisionCode.Township != code.Place.Township)
        {
            // A team known here organises only in its own township; an unknown one (not heard of yet) is taken on trust.
            throw new DomainValidationException("teamId", "The team belongs to another township.");
        }
        return station;
    }

    public static async Task<Ok<List<ActivitySummary>>> ListAsync(
        [AsParameters] ActivityServices s, AcceptedDates dates, string? under, DateTimeOffset? from, DateTimeOffset? to)
    {
        dates.Ensure(("from", from), ("to", to));
        var prefix = s.Caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<ActivitySummary>());
        }
        var now = s.Time.GetUtcNow();
        var (start, end) = (from ?? now.AddDays(-31), to ?? now.AddDays(31));
        if (end <= start)
        {
            throw new DomainValidationException("to", "The range ends after it starts.");
        }
        var activities = await s.Db.Activities.AsNoTracking()
            .Where(a => ((string)a.DivisionCode).StartsWith(prefix) && a.StartsAt < end && a.EndsAt > start)
            .OrderBy(a => a.StartsAt).Take(ActivitiesApi.MaxListItems).ToListAsync(s.CancellationToken);
        return TypedResults.Ok(activities.Select(a => ActivitySummary.From(a, now)).ToList());
    }

    public static async Task<Ok<ActivityResponse>> GetAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        var interested = await s.Db.ResidentInterests.CountAsync(i => i.ActivityId == id, s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, s.Time.GetUtcNow(), interested));
    }

    public static async Task<Ok<ActivityResponse>> PublishAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        s.Db.AddEvent(activity.Publish(now, s.Options.AnnounceDaysAhead, await s.Db.StationOfAsync(activity, s.CancellationToken)), now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> CancelAsync(Guid id, CancelRequest request, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        s.Db.AddEvent(activity.Cancel(request.Reason, now), now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> SignUpAsync(Guid id, SignUpRequest request, [AsParameters] ActivityServices s)
    {
        var (db, caller) = (s.Db, s.Caller);
        var volunteerId = caller.VolunteerOrSelf(request.VolunteerId);
        var volunteer = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == volunteerId, s.CancellationToken);
        // Optimistic: a sign-up bumps the activity's version, so two racing for the last place cannot both save; the
        // loser reloads and is judged again (waitlisted or refused), never overbooked.
        return await db.RetryOnConflictAsync(async () =>
        {
            var now = s.Time.GetUtcNow();
            var activity = await db.FindActivityAsync(id, caller, s.CancellationToken);
            // A volunteer outside the caller's division is refused exactly as an unknown one: same status, same words.
            if (!await s.MayActForAsync(volunteerId) || volunteer is null)
            {
                throw new NotFoundException($"Volunteer {volunteerId} is unknown or not approved.");
            }
            if (activity.Status == ActivityStatus.Published)
            {
                // An activity completed early is over at its completion: its volunteers are free from then on.
                var clash = await db.SignUps.AsNoTracking()
                    .Where(su => su.VolunteerId == volunteer.Id && su.ActivityId != id)
                    .Join(db.Activities.Where(a => a.Status != ActivityStatus.Cancelled && a.StartsAt < activity.EndsAt
                            && activity.StartsAt < (a.CompletedAt != null && a.CompletedAt < a.EndsAt ? a.CompletedAt.Value : a.EndsAt)),
                        su => su.ActivityId, a => a.Id, (su, a) => new { a.Title, a.DivisionCode })
                    .FirstOrDefaultAsync(s.CancellationToken);
                if (clash is not null)
                {
                    // Named only when the caller may read it: another township's activity stays as hidden as its GET.
                    throw new ConflictException(caller.Covers(clash.DivisionCode)
                        ? $"The volunteer already holds an overlapping activity ({clash.Title})."
                        : "The volunteer already holds an overlapping activity.");
                }
            }
            activity.SignUp(volunteer, now, request.JoinWaitlist);
            await db.SaveOrConflictAsync(s.CancellationToken, retrying: true);
            return TypedResults.Ok(ActivityResponse.From(activity, now));
        });
    }

    public static async Task<Ok<ActivityResponse>> WithdrawAsync(Guid id, Guid volunteerId, [AsParameters] ActivityServices s)
    {
        return await s.Db.RetryOnConflictAsync(async () =>
        {
            var now = s.Time.GetUtcNow();
            var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
            activity.Withdraw(volunteerId, now, asNotSignedUp: !await s.MayActForAsync(volunteerId));
            await s.Db.SaveOrConflictAsync(s.CancellationToken, retrying: true);
            return TypedResults.Ok(ActivityResponse.From(activity, now));
        });
    }

    public static async Task<Ok<ActivityResponse>> CompleteAsync(Guid id, CompleteRequest? request, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        s.Db.AddEvent(activity.Complete(now, s.Options.MaxCreditedHoursPerActivity, request?.ResidentAttendees ?? 0,
            await SuspendedAsync(activity, s.Db, s.CancellationToken)), now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> CorrectAsync(Guid id, CorrectionRequest request, [AsParameters] ActivityServices s, AcceptedDates dates)
    {
        foreach (var (c, i) in (request.Corrections ?? []).Select((c, i) => (c, i)))
        {
            dates.Ensure(($"corrections[{i}].checkedInAt", c.CheckedInAt), ($"corrections[{i}].checkedOutAt", c.CheckedOutAt));
        }
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        s.Db.AddEvent(activity.Correct(request.Corrections ?? [], request.Reason, now, s.Options.MaxCreditedHoursPerActivity,
            await SuspendedAsync(activity, s.Db, s.CancellationToken)), now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    /// <summary>The activity's volunteers who are suspended now (from VolunteerSuspended / VolunteerReinstated).</summary>
    private static async Task<IReadOnlySet<Guid>> SuspendedAsync(Activity activity, ActivitiesDbContext db, CancellationToken cancellationToken)
    {
        var ids = activity.SignUps.Select(s => s.VolunteerId).ToList();
        var known = await db.Volunteers.AsNoTracking().Where(v => ids.Contains(v.Id) && v.SuspendedAt != null).ToListAsync(cancellationToken);
        return known.Where(v => v.IsSuspended).Select(v => v.Id).ToHashSet();
    }
}
