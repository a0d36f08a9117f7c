using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Attendance;

/// <summary>
/// A check-in or check-out. <c>At</c> is the device's time, defaulting to now. Verified by <c>Token</c> (the QR code
/// shown at the venue), by <c>Latitude</c>/<c>Longitude</c> near the venue, or by a station admin by hand with a
/// <c>Reason</c>; <c>Method</c> may name which, otherwise it follows from what is given. Without a <c>VolunteerId</c>
/// the signed-in volunteer checks in or out themselves.
/// </summary>
public sealed record AttendanceRequest(
    Guid? VolunteerId = null, DateTimeOffset? At = null, AttendanceMethod? Method = null, string? Token = null,
    double? Latitude = null, double? Longitude = null, string? Reason = null);

public enum AttendanceKind { CheckIn, CheckOut }

/// <summary>One check-in or check-out of a batch; without a <c>VolunteerId</c>, the signed-in volunteer's own.</summary>
public sealed record AttendanceBatchItem(
    Guid? VolunteerId, AttendanceKind Kind, DateTimeOffset At, AttendanceMethod? Method = null, string? Token = null,
    double? Latitude = null, double? Longitude = null, string? Reason = null);

/// <summary>Check-ins and check-outs gathered offline and uploaded later; each item is judged on its own timestamp.</summary>
public sealed record AttendanceBatchRequest(IReadOnlyList<AttendanceBatchItem>? Items);

public sealed record AttendanceBatchResult(int Index, Guid? VolunteerId, AttendanceKind Kind, int Status, string? Error);

public sealed record AttendanceBatchResponse(int Accepted, int Refused, IReadOnlyList<AttendanceBatchResult> Results);

public sealed record QrTokenResponse(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset NextRotationAt);

/// <summary>Being there: residents' interest, the venue's QR code, verified check-in and check-out, offline batches.</summary>
public static class AttendanceApi
{
    public const int MaxBatchItems = 500;

    public static RouteGroupBuilder MapAttendanceApi(this RouteGroupBuilder api)
    {
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
        return api;
    }

    public static async Task<Ok<ActivityResponse>> RegisterInterestAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var resident = s.Caller.ResidentOrRefuse();
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        if (activity.Status != ActivityStatus.Published || now >= activity.EndsAt)
        {
            throw new ConflictException($"Interest is registered for an announced activity that is not over; this one is {Activity.Describe(activity.StatusAt(now))}.");
        }
        if (await s.Db.ResidentInterests.AnyAsync(i => i.ActivityId == id && i.ResidentId == resident, s.CancellationToken))
        {
            throw new ConflictException("You have already registered your interest.");
        }
        s.Db.ResidentInterests.Add(new ResidentInterest { ActivityId = id, ResidentId = resident, RegisteredAt = now });
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        var interested = await s.Db.ResidentInterests.CountAsync(i => i.ActivityId == id, s.CancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity, now, interested));
    }

    public static async Task<Ok<QrTokenResponse>> QrTokenAsync(Guid id, [AsParameters] ActivityServices s, QrTokenSigner signer, HybridCache cache)
    {
        var now = s.Time.GetUtcNow();
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        if (activity.Status != ActivityStatus.Published || now < activity.StartsAt - Activity.CheckInLeadTime || now > activity.EndsAt)
        {
            throw new ConflictException($"A check-in code is shown only while an activity is under way; this one is {Activity.Describe(activity.StatusAt(now))}.");
        }
        // One token per rotation slot, shared through the cache (Redis when configured) so every screen and replica
        // shows the same code.
        var rotationMs = (long)s.Options.QrRotation.TotalMilliseconds;
        var slotStart = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / rotationMs * rotationMs);
        var token = await cache.GetOrCreateAsync($"activities:qr:{id:N}:{slotStart.ToUnixTimeMilliseconds()}",
            _ => ValueTask.FromResult(signer.Issue(id, slotStart)),
            new HybridCacheEntryOptions { Expiration = signer.Lifetime, LocalCacheExpiration = signer.Lifetime },
            cancellationToken: s.CancellationToken);
        return TypedResults.Ok(new QrTokenResponse(token, slotStart, slotStart + signer.Lifetime, slotStart + s.Options.QrRotation));
    }

    public static async Task<Ok<SignUpResponse>> CheckInAsync(Guid id, AttendanceRequest request, [AsParameters] ActivityServices s, AttendanceVerifier verifier) =>
        await RecordAsync(id, AttendanceKind.CheckIn, request, s, verifier);

    public static async Task<Ok<SignUpResponse>> CheckOutAsync(Guid id, AttendanceRequest request, [AsParameters] ActivityServices s, AttendanceVerifier verifier) =>
        await RecordAsync(id, AttendanceKind.CheckOut, request, s, verifier);

    /// <summary>
    /// The hot path (Lei Feng day: every station of a county in the same hour): one query for the activity with only
    /// this volunteer's sign-up, the station only for a location check-in, and one UPDATE of the sign-up row. The
    /// activity row is not written, so check-ins to one activity never contend with each other.
    /// </summary>
    private static async Task<Ok<SignUpResponse>> RecordAsync(Guid id, AttendanceKind kind, AttendanceRequest request, ActivityServices s, AttendanceVerifier verifier)
    {
        var now = s.Time.GetUtcNow();
        var volunteerId = s.Caller.VolunteerOrSelf(request.VolunteerId);
        var item = new AttendanceBatchItem(volunteerId, kind, request.At ?? now, request.Method, request.Token, request.Latitude, request.Longitude, request.Reason);
        // One connection for the read and the write: each return to the pool costs the database a reset (DISCARD ALL).
        await s.Db.Database.OpenConnectionAsync(s.CancellationToken);
        // A volunteer the caller may not act for is left out of what is loaded: the act then finds them as it would
        // someone never signed up.
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken, signUpsOf: await s.MayActForAsync(volunteerId) ? [volunteerId] : []);
        var station = AttendanceVerifier.MethodOf(item) == AttendanceMethod.Location ? await s.Db.StationOfAsync(activity, s.CancellationToken) : null;
        await verifier.ApplyAsync(activity, station, item, volunteerId, now, s.Caller);
        await SaveMarkedAsync(s.Db, verifier, s.CancellationToken);
        return TypedResults.Ok(SignUpResponse.From(activity.SignUps.Single(su => su.VolunteerId == volunteerId)));
    }

    /// <summary>Saves attendance; when nothing is saved, the QR uses this request marked are forgotten so a retry is no replay.</summary>
    private static async Task SaveMarkedAsync(ActivitiesDbContext db, AttendanceVerifier verifier, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveOrConflictAsync(cancellationToken);
        }
        catch
        {
            await verifier.ForgetMarkedAsync();
            throw;
        }
    }

    public static async Task<Ok<AttendanceBatchResponse>> BatchAsync(Guid id, AttendanceBatchRequest request, [AsParameters] ActivityServices s, AttendanceVerifier verifier)
    {
        var items = request.Items ?? [];
        if (items.Count is 0 or > MaxBatchItems)
        {
            throw new DomainValidationException("items", $"A batch holds 1 to {MaxBatchItems} items.");
        }
        var now = s.Time.GetUtcNow();
        // An item without a volunteer is the signed-in volunteer's own.
        items = items.Select(i => i with { VolunteerId = i.VolunteerId ?? s.Caller.VolunteerId }).ToList();
        // Each volunteer judged once. A volunteer acting for another gets 404 on those items; for one beyond an admin's
        // scope nothing is loaded, so those items are answered as for someone never signed up.
        var refused = new Dictionary<Guid, NotFoundException>();
        var mayActFor = new List<Guid>();
        foreach (var volunteer in items.Select(i => i.VolunteerId).OfType<Guid>().Distinct())
        {
            try
            {
                if (await s.MayActForAsync(volunteer))
                {
                    mayActFor.Add(volunteer);
                }
            }
            catch (NotFoundException ex)
            {
                refused[volunteer] = ex;
            }
        }
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken, signUpsOf: mayActFor);
        var station = items.Any(i => AttendanceVerifier.MethodOf(i) == AttendanceMethod.Location) ? await s.Db.StationOfAsync(activity, s.CancellationToken) : null;
        var results = new AttendanceBatchResult[items.Count];
        try
        {
            // In the order things happened on the devices, so a check-in precedes its check-out whatever the upload order.
            foreach (var (item, index) in items.Select((item, index) => (item, index)).OrderBy(x => x.item.At).ThenBy(x => x.item.Kind))
            {
                try
                {
                    var volunteer = item.VolunteerId ?? throw new DomainValidationException("volunteerId", "Name the volunteer (your login is linked to none).");
                    if (refused.TryGetValue(volunteer, out var notFound))
                    {
                        throw notFound;
                    }
                    await verifier.ApplyAsync(activity, station, item, volunteer, now, s.Caller);
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
        await SaveMarkedAsync(s.Db, verifier, s.CancellationToken);
        var accepted = results.Count(r => r.Status == StatusCodes.Status200OK);
        return TypedResults.Ok(new AttendanceBatchResponse(accepted, results.Length - accepted, results));
    }
}
