using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Caching.Hybrid;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Domain;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Api;

public sealed record CreateActivityRequest(
    string? StationCode, string? Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, Guid? TeamId = null,
    PracticePlatform? Platform = null, string? Venue = null, string? Lecturer = null, string? Audience = null, string? Content = null,
    FestivalTag? FestivalTag = null, bool IsMobile = false, string? Place = null, double? Latitude = null, double? Longitude = null);

/// <summary>A sign-up; with <c>JoinWaitlist</c> a full activity puts the volunteer on its waitlist instead of refusing.</summary>
public sealed record SignUpRequest(Guid VolunteerId, bool JoinWaitlist = false);

/// <summary>
/// A check-in or check-out. <c>At</c> is the device's time, defaulting to now. Verified by <c>Token</c> (the QR code
/// shown at the venue), by <c>Latitude</c>/<c>Longitude</c> near the venue, or by a station admin by hand with a
/// <c>Reason</c>; <c>Method</c> may name which, otherwise it follows from what is given.
/// </summary>
public sealed record AttendanceRequest(
    Guid VolunteerId, DateTimeOffset? At = null, AttendanceMethod? Method = null, string? Token = null,
    double? Latitude = null, double? Longitude = null, string? Reason = null);

public enum AttendanceKind { CheckIn, CheckOut }

public sealed record AttendanceBatchItem(
    Guid VolunteerId, AttendanceKind Kind, DateTimeOffset At, AttendanceMethod? Method = null, string? Token = null,
    double? Latitude = null, double? Longitude = null, string? Reason = null);

/// <summary>Check-ins and check-outs gathered offline and uploaded later; each item is judged on its own timestamp.</summary>
public sealed record AttendanceBatchRequest(IReadOnlyList<AttendanceBatchItem>? Items);

public sealed record AttendanceBatchResult(int Index, Guid VolunteerId, AttendanceKind Kind, int Status, string? Error);

public sealed record AttendanceBatchResponse(int Accepted, int Refused, IReadOnlyList<AttendanceBatchResult> Results);

public sealed record CancelRequest(string? Reason);

/// <summary>Residents who attended, counted by the organiser (they do not sign up).</summary>
public sealed record CompleteRequest(int ResidentAttendees = 0);

public sealed record CorrectionRequest([property: Required] string? Reason, [property: Required] IReadOnlyList<PresenceCorrection>? Corrections);

public sealed record QrTokenResponse(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset NextRotationAt);

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
    int ConfirmedCount, int WaitlistCount, int ResidentAttendeeCount, int InterestedResidents, IReadOnlyList<SignUpResponse> SignUps)
{
    public static ActivityResponse From(Activity a, DateTimeOffset now, int interestedResidents = 0) => new(
        a.Id, a.StationCode, a.Title, a.Category, a.StartsAt, a.EndsAt, a.Capacity, a.TeamId, a.StatusAt(now), a.PublishedAt, a.LateAnnouncement,
        a.CompletedAt, a.Platform, a.Venue, a.Lecturer, a.Audience, a.Content, a.FestivalTag, a.IsMobile, a.Place, a.Latitude, a.Longitude,
        a.CancelledAt, a.CancelReason, a.ConfirmedCount, a.SignUps.Count(s => s.Status == SignUpStatus.Waitlisted), a.ResidentAttendeeCount,
        interestedResidents,
        a.SignUps.OrderBy(s => s.Position).Select(SignUpResponse.From).ToList());
}

/// <summary>A row of a calendar or plan: an activity without its sign-ups.</summary>
public sealed record ActivitySummary(
    Guid Id, string StationCode, string Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, ActivityStatus Status,
    PracticePlatform? Platform, string? Venue, string? Place, string? Lecturer, string? Audience, string? Content, FestivalTag? FestivalTag,
    bool IsMobile, Guid? TeamId, int Capacity, bool LateAnnouncement)
{
    public static ActivitySummary From(Activity a, DateTimeOffset now) => new(a.Id, a.StationCode, a.Title, a.Category, a.StartsAt, a.EndsAt,
        a.StatusAt(now), a.Platform, a.Venue, a.Place, a.Lecturer, a.Audience, a.Content, a.FestivalTag, a.IsMobile, a.TeamId, a.Capacity, a.LateAnnouncement);
}

public static class ActivitiesApi
{
    public const int MaxBatchItems = 500;
    public const int MaxListItems = 1000;

    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/activities").WithTags("Activities")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, ActivitiesDbContext>("activities");
        api.MapPost("/", CreateAsync).WithName("CreateActivity").WithSummary("Create a draft activity at a known station")
            .WithDescription("Example: {\"stationCode\":\"321324104201\",\"title\":\"学雷锋志愿服务\",\"category\":\"ConvenienceService\",\"startsAt\":\"2026-03-05T01:00:00Z\",\"endsAt\":\"2026-03-05T03:00:00Z\",\"capacity\":20,\"platform\":\"Culture\",\"venue\":\"村文化广场\",\"festivalTag\":\"LeiFengDay\"}; a mobile activity sets isMobile, place, latitude and longitude.")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/", ListAsync).WithName("ListActivities")
            .WithSummary("Activities under a division prefix in a time range (a township's month calendar)")
            .WithDescription($"Example: ?under=321324104&from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00. At most {MaxListItems}, ordered by start.")
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
        api.MapPost("/{id:guid}/interest", RegisterInterestAsync).WithName("RegisterAttendanceInterest")
            .WithSummary("A resident says they mean to attend (no capacity; separate from volunteers)")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/{id:guid}/qr-token", QrTokenAsync).WithName("GetCheckInQrToken")
            .WithSummary("The QR token the venue screen shows now; it rotates every Activities:QrRotation")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/check-ins", CheckInAsync).WithRequestExample("""{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","at":"2026-03-05T01:05:00Z","reason":"签到表补录"}""").WithName("CheckIn")
            .WithSummary("Record a volunteer's arrival; answers with that volunteer's sign-up (not the whole activity)")
            .WithDescription("By QR: {\"volunteerId\":\"…\",\"token\":\"…\"}; by location: {\"volunteerId\":\"…\",\"latitude\":33.46,\"longitude\":118.22}; by a station admin by hand: {\"volunteerId\":\"…\",\"at\":\"…\",\"reason\":\"手机没电\"}.")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/check-outs", CheckOutAsync).WithRequestExample("""{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","at":"2026-03-05T03:00:00Z","reason":"签退表补录"}""").WithName("CheckOut")
            .WithSummary("Record a volunteer's departure; answers with that volunteer's sign-up").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/attendance-batch", BatchAsync).WithRequestExample("""{"items":[{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","kind":"CheckIn","at":"2026-03-05T01:05:00Z","reason":"离线签到"},{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","kind":"CheckOut","at":"2026-03-05T03:00:00Z","reason":"离线签退"}]}""").WithName("UploadAttendanceBatch")
            .WithSummary($"Up to {MaxBatchItems} check-ins and check-outs gathered offline; each judged on its own timestamp, with a result per item")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/complete", CompleteAsync).WithRequestExample("""{"residentAttendees":35}""").WithName("CompleteActivity")
            .WithSummary("Complete: publishes ActivityCompleted with every participant's credited hours")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/corrections", CorrectAsync).WithRequestExample("""{"reason":"签到设备故障, 按签到表更正","corrections":[{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e","checkedInAt":"2026-03-05T01:00:00Z","checkedOutAt":"2026-03-05T02:59:30Z"}]}""").WithName("CorrectCompletedActivity")
            .WithSummary("Correct presences after completion; publishes ActivityCompletionCorrected with the hour deltas")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);

        api.MapRatingsApi();
        api.MapOrdersApi();
        api.MapPlansApi();
        return endpoints;
    }

    public static async Task<Created<ActivityResponse>> CreateAsync(CreateActivityRequest request, ActivitiesDbContext db, Caller caller, AcceptedDates dates,
        TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure(("startsAt", request.StartsAt), ("endsAt", request.EndsAt));
        // Any site the registry takes: a place's station (321324104201) or a unit station (321324104201-S01), whose place decides scope.
        if (!StationCode.TryParse(request.StationCode, out var code, out var error))
        {
            throw new DomainValidationException("stationCode", error);
        }
        caller.EnsureMayCreateIn(code.Place);
        var station = await db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == code.Value, cancellationToken)
            ?? throw new NotFoundException($"No station {code} is known here (yet): register it with the stations service first.");
        if (request.TeamId is { } teamId && await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken) is { } team
            && team.DivisionCode.Value[..Math.Min(9, team.DivisionCode.Value.Length)] != code.Place.Value[..Math.Min(9, code.Place.Value.Length)])
        {
            // A team known here organises only in its own township; an unknown one (not heard of yet) is taken on trust.
            throw new DomainValidationException("teamId", "The team belongs to another township.");
        }
        var now = time.GetUtcNow();
        var activity = Activity.Create(station, new ActivityDetails(request.Title, request.Category, request.StartsAt, request.EndsAt, request.Capacity,
            request.TeamId, request.Platform, request.Venue, request.Lecturer, request.Audience, request.Content, request.FestivalTag,
            request.IsMobile, request.Place, request.Latitude, request.Longitude), now);
        db.Activities.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<List<ActivitySummary>>> ListAsync(
        ActivitiesDbContext db, Caller caller, AcceptedDates dates, TimeProvider time, string? under, DateTimeOffset? from, DateTimeOffset? to,
        CancellationToken cancellationToken)
    {
        dates.Ensure(("from", from), ("to", to));
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<ActivitySummary>());
        }
        var now = time.GetUtcNow();
        var (start, end) = (from ?? now.AddDays(-31), to ?? now.AddDays(31));
        if (end <= start)
        {
            throw new DomainValidationException("to", "The range ends after it starts.");
        }
        var activities = await db.Activities.AsNoTracking()
            .Where(a => ((string)a.DivisionCode).StartsWith(prefix) && a.StartsAt < end && a.EndsAt > start)
            .OrderBy(a => a.StartsAt).Take(MaxListItems).ToListAsync(cancellationToken);
        return TypedResults.Ok(activities.Select(a => ActivitySummary.From(a, now)).ToList());
    }

    public static async Task<Ok<ActivityResponse>> GetAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var activity = await FindAsync(id, db, caller, cancellationToken);
        var interested = await db.ResidentInterests.CountAsync(i => i.ActivityId == id, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, time.GetUtcNow(), interested));
    }

    public static async Task<Ok<ActivityResponse>> PublishAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, ActivitiesOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Publish(now, options.AnnounceDaysAhead, await StationOfAsync(activity, db, cancellationToken)), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> CancelAsync(Guid id, CancelRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Cancel(request.Reason, now), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> SignUpAsync(Guid id, SignUpRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var volunteer = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == request.VolunteerId, cancellationToken);
        // Optimistic: a sign-up bumps the activity's version, so two racing for the last place cannot both save; the
        // loser reloads and is judged again (waitlisted or refused), never overbooked.
        return await RetryOnConflictAsync(db, async () =>
        {
            var now = time.GetUtcNow();
            var activity = await FindAsync(id, db, caller, cancellationToken);
            // A volunteer outside the caller's division is refused exactly as an unknown one: same status, same words.
            if (volunteer is null || !caller.Covers(volunteer.DivisionCode))
            {
                throw new NotFoundException($"Volunteer {request.VolunteerId} is unknown or not approved.");
            }
            if (activity.Status == ActivityStatus.Published)
            {
                var clash = await db.SignUps.AsNoTracking()
                    .Where(s => s.VolunteerId == volunteer.Id && s.ActivityId != id)
                    .Join(db.Activities.Where(a => a.Status != ActivityStatus.Cancelled && a.StartsAt < activity.EndsAt && activity.StartsAt < a.EndsAt),
                        s => s.ActivityId, a => a.Id, (s, a) => new { a.Title, a.DivisionCode })
                    .FirstOrDefaultAsync(cancellationToken);
                if (clash is not null)
                {
                    // Named only when the caller may read it: another township's activity stays as hidden as its GET.
                    throw new ConflictException(caller.Covers(clash.DivisionCode)
                        ? $"The volunteer already holds an overlapping activity ({clash.Title})."
                        : "The volunteer already holds an overlapping activity.");
                }
            }
            activity.SignUp(volunteer, now, request.JoinWaitlist);
            await SaveAsync(db, cancellationToken, retrying: true);
            return TypedResults.Ok(ActivityResponse.From(activity, now));
        });
    }

    public static async Task<Ok<ActivityResponse>> WithdrawAsync(Guid id, Guid volunteerId, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken) =>
        await RetryOnConflictAsync(db, async () =>
        {
            var now = time.GetUtcNow();
            var activity = await FindAsync(id, db, caller, cancellationToken);
            activity.Withdraw(volunteerId, now);
            await SaveAsync(db, cancellationToken, retrying: true);
            return TypedResults.Ok(ActivityResponse.From(activity, now));
        });

    public static async Task<Ok<ActivityResponse>> RegisterInterestAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var resident = RatingsApi.ResidentOf(caller);
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        if (activity.Status != ActivityStatus.Published || now >= activity.EndsAt)
        {
            throw new ConflictException($"Interest is registered for an announced activity that is not over; this one is {Activity.Describe(activity.StatusAt(now))}.");
        }
        if (await db.ResidentInterests.AnyAsync(i => i.ActivityId == id && i.ResidentId == resident, cancellationToken))
        {
            throw new ConflictException("You have already registered your interest.");
        }
        db.ResidentInterests.Add(new ResidentInterest { ActivityId = id, ResidentId = resident, RegisteredAt = now });
        await SaveAsync(db, cancellationToken);
        var interested = await db.ResidentInterests.CountAsync(i => i.ActivityId == id, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now, interested));
    }

    public static async Task<Ok<QrTokenResponse>> QrTokenAsync(
        Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, ActivitiesOptions options, QrTokenSigner signer, HybridCache cache, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        if (activity.Status != ActivityStatus.Published || now < activity.StartsAt - Activity.CheckInLeadTime || now > activity.EndsAt)
        {
            throw new ConflictException($"A check-in code is shown only while an activity is under way; this one is {Activity.Describe(activity.StatusAt(now))}.");
        }
        // One token per rotation slot, shared through the cache (Redis when configured) so every screen and replica
        // shows the same code.
        var rotationMs = (long)options.QrRotation.TotalMilliseconds;
        var slotStart = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / rotationMs * rotationMs);
        var token = await cache.GetOrCreateAsync($"activities:qr:{id:N}:{slotStart.ToUnixTimeMilliseconds()}",
            _ => ValueTask.FromResult(signer.Issue(id, slotStart)),
            new HybridCacheEntryOptions { Expiration = signer.Lifetime, LocalCacheExpiration = signer.Lifetime },
            cancellationToken: cancellationToken);
        return TypedResults.Ok(new QrTokenResponse(token, slotStart, slotStart + signer.Lifetime, slotStart + options.QrRotation));
    }

    public static async Task<Ok<SignUpResponse>> CheckInAsync(Guid id, AttendanceRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, AttendanceVerifier verifier, CancellationToken cancellationToken) =>
        await RecordAsync(id, AttendanceKind.CheckIn, request, db, caller, time, verifier, cancellationToken);

    public static async Task<Ok<SignUpResponse>> CheckOutAsync(Guid id, AttendanceRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, AttendanceVerifier verifier, CancellationToken cancellationToken) =>
        await RecordAsync(id, AttendanceKind.CheckOut, request, db, caller, time, verifier, cancellationToken);

    /// <summary>
    /// The hot path (Lei Feng day: every station of a county in the same hour): one query for the activity with only
    /// this volunteer's sign-up, the station only for a location check-in, and one UPDATE of the sign-up row. The
    /// activity row is not written, so check-ins to one activity never contend with each other.
    /// </summary>
    private static async Task<Ok<SignUpResponse>> RecordAsync(
        Guid id, AttendanceKind kind, AttendanceRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, AttendanceVerifier verifier, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var item = new AttendanceBatchItem(request.VolunteerId, kind, request.At ?? now, request.Method, request.Token, request.Latitude, request.Longitude, request.Reason);
        // One connection for the read and the write: each return to the pool costs the database a reset (DISCARD ALL).
        await db.Database.OpenConnectionAsync(cancellationToken);
        var activity = await FindAsync(id, db, caller, cancellationToken, signUpsOf: [request.VolunteerId]);
        var station = AttendanceVerifier.MethodOf(item) == AttendanceMethod.Location ? await StationOfAsync(activity, db, cancellationToken) : null;
        await verifier.ApplyAsync(activity, station, item, now, caller);
        await SaveMarkedAsync(db, verifier, cancellationToken);
        return TypedResults.Ok(SignUpResponse.From(activity.SignUps.Single(s => s.VolunteerId == request.VolunteerId)));
    }

    /// <summary>Saves attendance; when nothing is saved, the QR uses this request marked are forgotten so a retry is no replay.</summary>
    private static async Task SaveMarkedAsync(ActivitiesDbContext db, AttendanceVerifier verifier, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(db, cancellationToken);
        }
        catch
        {
            await verifier.ForgetMarkedAsync();
            throw;
        }
    }

    private static Task<KnownStation?> StationOfAsync(Activity activity, ActivitiesDbContext db, CancellationToken cancellationToken) =>
        db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == activity.StationCode, cancellationToken);

    public static async Task<Ok<AttendanceBatchResponse>> BatchAsync(
        Guid id, AttendanceBatchRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, AttendanceVerifier verifier, CancellationToken cancellationToken)
    {
        var items = request.Items ?? [];
        if (items.Count is 0 or > MaxBatchItems)
        {
            throw new DomainValidationException("items", $"A batch holds 1 to {MaxBatchItems} items.");
        }
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken, signUpsOf: items.Select(i => i.VolunteerId).Distinct().ToList());
        var station = items.Any(i => AttendanceVerifier.MethodOf(i) == AttendanceMethod.Location) ? await StationOfAsync(activity, db, cancellationToken) : null;
        var results = new AttendanceBatchResult[items.Count];
        try
        {
            // In the order things happened on the devices, so a check-in precedes its check-out whatever the upload order.
            foreach (var (item, index) in items.Select((item, index) => (item, index)).OrderBy(x => x.item.At).ThenBy(x => x.item.Kind))
            {
                try
                {
                    await verifier.ApplyAsync(activity, station, item, now, caller);
                    results[index] = new AttendanceBatchResult(index, item.VolunteerId, item.Kind, StatusCodes.Status200OK, null);
                }
                catch (Exception ex) when (ex is DomainValidationException or ConflictException or NotFoundException or ForbiddenException)
                {
                    var status = ex switch
                    {
                        DomainValidationException => StatusCodes.Status400BadRequest,
                        NotFoundException => StatusCodes.Status404NotFound,
                        ForbiddenException => StatusCodes.Status403Forbidden,
                        _ => StatusCodes.Status409Conflict,
                    };
                    results[index] = new AttendanceBatchResult(index, item.VolunteerId, item.Kind, status, ex.Message);
                }
            }
        }
        catch
        {
            // A dependency failed part-way (Redis, the database): nothing is saved, so no token counts as used.
            await verifier.ForgetMarkedAsync();
            throw;
        }
        await SaveMarkedAsync(db, verifier, cancellationToken);
        var accepted = results.Count(r => r.Status == StatusCodes.Status200OK);
        return TypedResults.Ok(new AttendanceBatchResponse(accepted, results.Length - accepted, results));
    }

    public static async Task<Ok<ActivityResponse>> CompleteAsync(
        Guid id, CompleteRequest? request, ActivitiesDbContext db, Caller caller, TimeProvider time, ActivitiesOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Complete(now, options.MaxCreditedHoursPerActivity, request?.ResidentAttendees ?? 0, await SuspendedAsync(activity, db, cancellationToken)), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    public static async Task<Ok<ActivityResponse>> CorrectAsync(
        Guid id, CorrectionRequest request, ActivitiesDbContext db, Caller caller, AcceptedDates dates, TimeProvider time, ActivitiesOptions options,
        CancellationToken cancellationToken)
    {
        foreach (var (c, i) in (request.Corrections ?? []).Select((c, i) => (c, i)))
        {
            dates.Ensure(($"corrections[{i}].checkedInAt", c.CheckedInAt), ($"corrections[{i}].checkedOutAt", c.CheckedOutAt));
        }
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Correct(request.Corrections ?? [], request.Reason, now, options.MaxCreditedHoursPerActivity, await SuspendedAsync(activity, db, cancellationToken)), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now));
    }

    /// <summary>The activity's volunteers who are suspended now (from VolunteerSuspended / VolunteerReinstated).</summary>
    private static async Task<IReadOnlySet<Guid>> SuspendedAsync(Activity activity, ActivitiesDbContext db, CancellationToken cancellationToken)
    {
        var ids = activity.SignUps.Select(s => s.VolunteerId).ToList();
        var known = await db.Volunteers.AsNoTracking().Where(v => ids.Contains(v.Id) && v.SuspendedAt != null).ToListAsync(cancellationToken);
        return known.Where(v => v.IsSuspended).Select(v => v.Id).ToHashSet();
    }

    // A compiled query serves one model; a process holding the service on two databases (tests on SQLite and
    // PostgreSQL side by side) compiles it once per model.
    private static readonly ConditionalWeakTable<IModel, Func<ActivitiesDbContext, Guid, Guid, Task<Activity?>>> WithOneSignUpByModel = new();

    private static Func<ActivitiesDbContext, Guid, Guid, Task<Activity?>> WithOneSignUp(ActivitiesDbContext context) =>
        WithOneSignUpByModel.GetValue(context.Model, _ => EF.CompileAsyncQuery(
            (ActivitiesDbContext db, Guid id, Guid volunteer) =>
                db.Activities.Include(a => a.SignUps.Where(s => s.VolunteerId == volunteer)).SingleOrDefault(a => a.Id == id)));

    /// <param name="signUpsOf">
    /// Load only these volunteers' sign-ups (attendance touches nothing else); the activity's counts and lists are
    /// then partial, so such an activity is never answered as a whole.
    /// </param>
    internal static async Task<Activity> FindAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken, IReadOnlyList<Guid>? signUpsOf = null)
    {
        var activity = signUpsOf switch
        {
            null => await db.Activities.Include(a => a.SignUps).SingleOrDefaultAsync(a => a.Id == id, cancellationToken),
            // The check-in's query, compiled once: no expression tree to build, walk and hash on the hot path.
            [var one] => await WithOneSignUp(db)(db, id, one),
            _ => await db.Activities.Include(a => a.SignUps.Where(s => signUpsOf.Contains(s.VolunteerId))).SingleOrDefaultAsync(a => a.Id == id, cancellationToken),
        };
        // Outside the caller's division the activity does not exist for them.
        if (activity is null || !caller.Covers(activity.DivisionCode))
        {
            throw new NotFoundException($"No activity {id}.");
        }
        return activity;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> again after a lost optimistic race, on fresh state. Only the activity graph is
    /// forgotten: the audit record queued by the group's filter stays and commits with the winning attempt.
    /// </summary>
    internal static async Task<T> RetryOnConflictAsync<T>(ActivitiesDbContext db, Func<Task<T>> attempt, int attempts = 8)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (i < attempts)
            {
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Activity or SignUp or ServiceOrder).ToList())
                {
                    entry.State = EntityState.Detached;
                }
                await Task.Delay(Random.Shared.Next(1, 10 * i));
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConflictException("The activity is busy; try again.");
            }
        }
    }

    /// <summary>
    /// Saves, turning a lost race with another request on the same record into 409, or, inside
    /// <see cref="RetryOnConflictAsync"/> (<paramref name="retrying"/>), letting it through to be retried.
    /// </summary>
    internal static async Task SaveAsync(ActivitiesDbContext db, CancellationToken cancellationToken, bool retrying = false)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (!retrying)
        {
            throw new ConflictException("The record was changed by another request; reload and try again.");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("That was already recorded (a sign-up, interest or rating exists).");
        }
    }
}
