using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

public sealed record LedgerEntryResponse(Guid Id, LedgerEntryKind Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn, DateTimeOffset RecordedAt,
    string? Reason, string? ApprovedBy, Guid? CorrectsEntryId)
{
    public static LedgerEntryResponse From(HourLedgerEntry e) =>
        new(e.Id, e.Kind, e.ActivityId, e.Hours, e.ServedOn, e.RecordedAt, e.Reason, e.ApprovedBy, e.CorrectsEntryId);
}

public sealed record HourLedgerResponse(Guid VolunteerId, decimal TotalHours, int StarLevel, IReadOnlyList<LedgerEntryResponse> Entries);

/// <param name="ServedOn">The China day served (yyyy-MM-dd).</param>
public sealed record ManualCreditRequest(decimal? Hours, DateOnly? ServedOn, string? Reason);

/// <param name="Hours">Signed: positive adds time to the entry, negative takes it back.</param>
public sealed record CorrectionRequest(Guid? EntryId, decimal? Hours, string? Reason);

/// <summary>A volunteer's request: with an entry id, to correct it by signed hours; without, to credit a day served.</summary>
public sealed record CorrectionRequestBody(Guid? EntryId, DateOnly? ServedOn, decimal? Hours, string? Reason);

public sealed record CorrectionRequestResponse(Guid Id, Guid VolunteerId, Guid? EntryId, DateOnly? ServedOn, decimal Hours, string Reason,
    CorrectionRequestStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionReason, Guid? ResultEntryId)
{
    public static CorrectionRequestResponse From(HourCorrectionRequest r) => new(r.Id, r.VolunteerId, r.EntryId, r.ServedOn, r.Hours, r.Reason,
        r.Status, r.RequestedAt, r.DecidedAt, r.DecidedBy, r.DecisionReason, r.ResultEntryId);
}

/// <summary>
/// The hour ledger: read, manual credits and corrections approved by an admin, and volunteers' correction requests.
/// Every write appends; nothing is edited.
/// </summary>
public static class HoursApi
{
    public static void MapHoursApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}/hours", HoursAsync).WithName("GetHourLedger").WithSummary("The volunteer's hour ledger and total")
            .WithDescription("An admin reads the volunteers their division covers; a volunteer reads their own (also at /me/hours).")
            .RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        api.MapPost("/{id:guid}/hours/credits", CreditAsync).WithName("CreditHoursManually")
            .WithSummary("Credit hours by hand, with a reason; the calling admin is the approver")
            .WithDescription("Example: {\"hours\":2.5,\"servedOn\":\"2026-03-01\",\"reason\":\"防汛值守, 签到表补录\"}.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/hours/corrections", CorrectAsync).WithRequestExample("""{"entryId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","hours":-0.5,"reason":"提前离场"}""").WithName("CorrectHours")
            .WithSummary("Correct an entry by signed hours, with a reason; a new entry, never an edit")
            .WithDescription("Example: {\"entryId\":\"...\",\"hours\":-0.5,\"reason\":\"提前离场\"}.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        // A volunteer's token carries activities.attend, not volunteers.*; requests only ask, an admin decides.
        api.MapPost("/{id:guid}/hours/correction-requests", RequestCorrectionAsync).WithRequestExample("""{"entryId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","hours":1,"reason":"签退漏记"}""").WithName("RequestHourCorrection")
            .WithSummary("Ask for a correction (with an entry id) or for a day served that no activity recorded")
            .WithDescription("Example: {\"entryId\":\"...\",\"hours\":1,\"reason\":\"签退漏记\"} or {\"servedOn\":\"2026-03-01\",\"hours\":2,\"reason\":\"...\"}. A volunteer asks only for themselves (another id is 404); an admin or team leader may ask for a volunteer their division covers, and that is audited.")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapGet("/{id:guid}/hours/correction-requests", ListRequestsAsync).WithName("ListHourCorrectionRequests")
            .RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        api.MapPost("/{id:guid}/hours/correction-requests/{requestId:guid}/accept", AcceptRequestAsync).WithName("AcceptHourCorrection")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/hours/correction-requests/{requestId:guid}/reject", RejectRequestAsync).WithRequestExample("""{"reason":"签到表无此记录"}""").WithName("RejectHourCorrection")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
    }

    public static async Task<Ok<HourLedgerResponse>> HoursAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (volunteer, _) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        var entries = await db.HourLedger.AsNoTracking()
            .Where(e => e.VolunteerId == volunteer.Id)
            .OrderBy(e => e.ServedOn).ThenBy(e => e.RecordedAt)
            .ToListAsync(cancellationToken);
        var total = new ServiceTime(entries.Sum(e => e.Hundredths)).Hours;
        return TypedResults.Ok(new HourLedgerResponse(volunteer.Id, total, volunteer.StarLevel, entries.Select(LedgerEntryResponse.From).ToList()));
    }

    public static async Task<Created<LedgerEntryResponse>> CreditAsync(Guid id, ManualCreditRequest request, VolunteersDbContext db, Caller caller,
        HourLedgerWriter ledger, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure("servedOn", request.ServedOn);
        var approver = VolunteersApi.RequireApprover(caller);
        var volunteer = await VolunteersApi.FindAsync(id, db, caller, cancellationToken);
        var entry = await AppendCreditAsync(volunteer, request.Hours, request.ServedOn, request.Reason, approver, null, db, ledger, time.GetUtcNow(), cancellationToken);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/{id}/hours", LedgerEntryResponse.From(entry));
    }

    public static async Task<Created<LedgerEntryResponse>> CorrectAsync(Guid id, CorrectionRequest request, VolunteersDbContext db, Caller caller,
        HourLedgerWriter ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        var approver = VolunteersApi.RequireApprover(caller);
        var volunteer = await VolunteersApi.FindAsync(id, db, caller, cancellationToken);
        var entry = await AppendCorrectionAsync(volunteer, request.EntryId, request.Hours, request.Reason, approver, null, db, ledger, time.GetUtcNow(), cancellationToken);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/{id}/hours", LedgerEntryResponse.From(entry));
    }

    public static async Task<Created<CorrectionRequestResponse>> RequestCorrectionAsync(Guid id, CorrectionRequestBody body, HttpContext http,
        VolunteersDbContext db, Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure("servedOn", body.ServedOn);
        var now = time.GetUtcNow();
        var (volunteer, onBehalf) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        if (body.EntryId is { } entryId && !await db.HourLedger.AnyAsync(e => e.Id == entryId && e.VolunteerId == volunteer.Id, cancellationToken))
        {
            throw new DomainValidationException("entryId", "No such entry in this volunteer's ledger.");
        }
        var request = HourCorrectionRequest.Create(volunteer, body.EntryId, body.ServedOn, body.Hours ?? 0, body.Reason, caller.Subject, now);
        db.CorrectionRequests.Add(request);
        if (onBehalf == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(http, db, "volunteers", volunteer.Id, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/{id}/hours/correction-requests", CorrectionRequestResponse.From(request));
    }

    public static async Task<Ok<List<CorrectionRequestResponse>>> ListRequestsAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (volunteer, _) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        var requests = await db.CorrectionRequests.AsNoTracking().Where(r => r.VolunteerId == volunteer.Id)
            .OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(requests.Select(CorrectionRequestResponse.From).ToList());
    }

    public static async Task<Ok<CorrectionRequestResponse>> AcceptRequestAsync(Guid id, Guid requestId, VolunteersDbContext db, Caller caller,
        HourLedgerWriter ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var approver = VolunteersApi.RequireApprover(caller);
        var volunteer = await VolunteersApi.FindAsync(id, db, caller, cancellationToken);
        var request = await FindRequestAsync(volunteer, requestId, db, cancellationToken);
        request.EnsurePending();
        var entry = request.EntryId is { } entryId
            ? await AppendCorrectionAsync(volunteer, entryId, request.Hours, request.Reason, approver, request.Id, db, ledger, now, cancellationToken)
            : await AppendCreditAsync(volunteer, request.Hours, request.ServedOn, request.Reason, approver, request.Id, db, ledger, now, cancellationToken);
        request.Accept(entry, approver, now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(CorrectionRequestResponse.From(request));
    }

    public static async Task<Ok<CorrectionRequestResponse>> RejectRequestAsync(Guid id, Guid requestId, ReasonRequest body, VolunteersDbContext db,
        Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var approver = VolunteersApi.RequireApprover(caller);
        var volunteer = await VolunteersApi.FindAsync(id, db, caller, cancellationToken);
        var request = await FindRequestAsync(volunteer, requestId, db, cancellationToken);
        request.Reject(body.Reason, approver, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CorrectionRequestResponse.From(request));
    }

    private static async Task<HourCorrectionRequest> FindRequestAsync(Volunteer volunteer, Guid requestId, VolunteersDbContext db, CancellationToken cancellationToken) =>
        await db.CorrectionRequests.SingleOrDefaultAsync(r => r.Id == requestId && r.VolunteerId == volunteer.Id, cancellationToken)
            ?? throw new NotFoundException($"No correction request {requestId}.");

    private static async Task<HourLedgerEntry> AppendCreditAsync(Volunteer volunteer, decimal? hours, DateOnly? servedOn, string? reason, Approver approver,
        Guid? requestId, VolunteersDbContext db, HourLedgerWriter ledger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sameDay = servedOn is { } day ? await ledger.HundredthsOnDayAsync(volunteer.Id, day, cancellationToken) : 0;
        var entry = HourLedgerEntry.CreditManually(volunteer, hours ?? 0, servedOn, reason, approver, sameDay, requestId, now);
        ledger.Append(volunteer, entry, await ledger.TotalHundredthsAsync(volunteer.Id, cancellationToken), now);
        return entry;
    }

    private static async Task<HourLedgerEntry> AppendCorrectionAsync(Volunteer volunteer, Guid? entryId, decimal? hours, string? reason, Approver approver,
        Guid? requestId, VolunteersDbContext db, HourLedgerWriter ledger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entryId is null)
        {
            throw new DomainValidationException("entryId", "The entry to correct is required.");
        }
        var corrected = await db.HourLedger.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId && e.VolunteerId == volunteer.Id, cancellationToken)
            ?? throw new DomainValidationException("entryId", "No such entry in this volunteer's ledger.");
        var net = await ledger.NetHundredthsAsync(corrected, cancellationToken);
        return await ledger.AppendCorrectionAsync(volunteer, corrected, net, hours ?? 0, reason, approver, requestId, now, cancellationToken);
    }

    private static async Task SaveAsync(VolunteersDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("Another admin decided this request at the same moment.");
        }
    }
}
