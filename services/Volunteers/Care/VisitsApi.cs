using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

/// <param name="VolunteerId">Who visited; a volunteer's own login may leave it out.</param>
/// <param name="VisitedOn">The China day of the visit (yyyy-MM-dd).</param>
/// <param name="Summary">What was done (帮扶内容).</param>
public sealed record RecordVisitRequest(Guid? VolunteerId, [property: Required] Guid? RecipientId, [property: Required] DateOnly? VisitedOn,
    [property: Required] string? Summary, [property: Required] decimal? Hours);

/// <param name="Hours">As recorded.</param>
/// <param name="CreditedHours">What the ledger holds for the visit now: the hours with any correction made to its entry.</param>
public sealed record VisitResponse(Guid Id, Guid VolunteerId, Guid RecipientId, Guid PairingId, string StationCode, DateOnly VisitedOn, string Summary,
    decimal Hours, decimal CreditedHours, Guid LedgerEntryId, DateTimeOffset RecordedAt);

public sealed record BehindRow(Guid VolunteerId, string Name, string HomeStationCode, int PairedHouseholds, int HouseholdsVisited, int Visits, int Short);

/// <summary>The month's check: how many volunteers had pairings, and those who visited fewer households than required.</summary>
public sealed record VisitsBehindReport(string Month, string Under, int Required, int PairedVolunteers, IReadOnlyList<BehindRow> Behind);

/// <summary>
/// Visits (走访): recorded by the volunteer themselves (or an admin or team leader for them, audited), each credited
/// to the ledger once; corrections of its hours go through the ledger's correction path with the visit's entry id.
/// </summary>
public static class VisitsApi
{
    public static void MapVisitsApi(this RouteGroupBuilder api)
    {
        // A volunteer's token carries activities.attend: the same scope that lets them sign up and check in for themselves.
        api.MapPost("/visits", RecordAsync).WithName("RecordCareVisit")
            .WithSummary("Record a visit to a person one is paired with; its hours are credited to the volunteer's ledger")
            .WithDescription("A volunteer records their own visits (volunteerId may be left out); an admin or team leader may record one for a volunteer they cover, which is audited. One visit per volunteer, household and day.")
            .WithRequestExample("""{"volunteerId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","recipientId":"0196f0a4-8a11-7d3c-9f40-6b7c8d9e0f1a","visitedOn":"2026-03-05","summary":"打扫卫生, 代购药品, 陪同聊天","hours":1.5}""")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapGet("/visits", ListAsync).WithName("ListCareVisits")
            .WithSummary("Visits under a division prefix, by volunteer, person served and month")
            .WithDescription("Example: ?under=321324104201&volunteerId=...&recipientId=...&month=2026-03.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/visits/mine", MineAsync).WithName("ListMyCareVisits")
            .WithSummary("The signed-in volunteer's own visits in a month (default this month)")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapGet("/visits/behind", BehindAsync).WithName("ListVolunteersBehindOnVisits")
            .WithSummary("每位志愿者每月走访两户: volunteers with pairings who visited fewer distinct households than Care:VisitsPerMonth in a month")
            .WithDescription("Example: ?month=2026-03&under=321324104 (a station, township or the county within your scope; default this month). Approved volunteers with a pairing holding on any day of the month; months are China months.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
    }

    public static async Task<Created<VisitResponse>> RecordAsync(RecordVisitRequest request, CareServices care, HourLedgerWriter ledger,
        CancellationToken cancellationToken)
    {
        care.Dates.Ensure("visitedOn", request.VisitedOn);
        var volunteerId = request.VolunteerId ?? care.Caller.VolunteerId
            ?? throw new DomainValidationException("volunteerId", "Who visited is required (your login is linked to no volunteer).");
        if (request.RecipientId is not { } recipientId)
        {
            throw new DomainValidationException("recipientId", "The person visited is required.");
        }
        // Someone else's id answers exactly as an unknown one when the caller may not act for them.
        var volunteer = await care.Db.Volunteers.SingleOrDefaultAsync(v => v.Id == volunteerId, cancellationToken)
            ?? throw new NotFoundException($"No volunteer {volunteerId}.");
        var onBehalf = care.Caller.EnsureActsFor(volunteer.Id, volunteer.DivisionCode);
        var recipient = await CareApi.FindRecipientAsync(recipientId, care, cancellationToken);
        var hundredths = CareVisit.Validate(request.VisitedOn, request.Summary, request.Hours, care.Now);
        var day = request.VisitedOn!.Value;
        var pairings = await care.Db.CarePairings.AsNoTracking().Where(p => p.VolunteerId == volunteer.Id && p.RecipientId == recipient.Id).ToListAsync(cancellationToken);
        var pairing = CareVisit.PairingFor(volunteer, recipient, day, pairings);
        if (await care.Db.CareVisits.AnyAsync(v => v.VolunteerId == volunteer.Id && v.RecipientId == recipient.Id && v.VisitedOn == day, cancellationToken))
        {
            throw DuplicateVisit();
        }
        var sameDay = await ledger.HundredthsOnDayAsync(volunteer.Id, day, cancellationToken);
        var (visit, entry) = CareVisit.Record(volunteer, recipient, pairing, day, request.Summary!, hundredths, sameDay, care.Caller.Subject, care.Now);
        care.Db.CareVisits.Add(visit);
        ledger.Append(volunteer, entry, await ledger.TotalHundredthsAsync(volunteer.Id, cancellationToken), care.Now);
        care.Db.AddEvent(visit.ToRecordedEvent(recipient.Category, care.Now), care.Now);
        if (onBehalf == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(care.Http, care.Db, "volunteers", volunteer.Id, care.Now);
        }
        await CareApi.SaveAsync(care.Db, DuplicateVisit, cancellationToken);
        return TypedResults.Created($"{CareApi.Path}/visits?volunteerId={volunteer.Id}", Response(visit, visit.Hundredths));
    }

    public static async Task<Ok<List<VisitResponse>>> ListAsync(CareServices care, string? under, Guid? volunteerId, Guid? recipientId,
        string? month, CancellationToken cancellationToken)
    {
        var prefix = care.Caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<VisitResponse>());
        }
        var query = care.Db.CareVisits.AsNoTracking().Where(v => ((string)v.DivisionCode).StartsWith(prefix));
        if (month is not null)
        {
            var (first, last) = MonthlyVisitCheck.Month(care.Dates.EnsureMonth("month", month));
            query = query.Where(v => v.VisitedOn >= first && v.VisitedOn <= last);
        }
        if (volunteerId is { } vid)
        {
            query = query.Where(v => v.VolunteerId == vid);
        }
        if (recipientId is { } rid)
        {
            query = query.Where(v => v.RecipientId == rid);
        }
        return TypedResults.Ok(await ResponsesAsync(query.OrderBy(v => v.VisitedOn).ThenBy(v => v.Id).Take(1000), care.Db, cancellationToken));
    }

    public static async Task<Ok<List<VisitResponse>>> MineAsync(CareServices care, string? month, CancellationToken cancellationToken)
    {
        var volunteerId = care.Caller.VolunteerId ?? throw new NotFoundException("Your login is linked to no volunteer.");
        var (first, last) = MonthlyVisitCheck.Month(month is null ? care.Today : care.Dates.EnsureMonth("month", month));
        var query = care.Db.CareVisits.AsNoTracking().Where(v => v.VolunteerId == volunteerId && v.VisitedOn >= first && v.VisitedOn <= last)
            .OrderBy(v => v.VisitedOn).ThenBy(v => v.Id);
        return TypedResults.Ok(await ResponsesAsync(query, care.Db, cancellationToken));
    }

    public static async Task<Ok<VisitsBehindReport>> BehindAsync(CareServices care, string? month, string? under, CancellationToken cancellationToken)
    {
        var firstDay = month is null ? MonthlyVisitCheck.Month(care.Today).First : care.Dates.EnsureMonth("month", month);
        var (first, last) = MonthlyVisitCheck.Month(firstDay);
        var required = care.Options.VisitsPerMonth;
        var prefix = care.Caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new VisitsBehindReport($"{first:yyyy-MM}", under ?? "", required, 0, []));
        }
        var approved = care.Db.Volunteers.Where(v => v.Status == VolunteerStatus.Approved).Select(v => v.Id);
        var pairings = await care.Db.CarePairings.AsNoTracking()
            .Where(p => ((string)p.DivisionCode).StartsWith(prefix) && p.StartsOn <= last && p.EndsOn >= first && approved.Contains(p.VolunteerId))
            .Select(p => new MonthlyVisitCheck.PairingSpan(p.VolunteerId, p.RecipientId, p.StartsOn, p.EndsOn))
            .ToListAsync(cancellationToken);
        var volunteerIds = pairings.Select(p => p.VolunteerId).Distinct().ToList();
        var visits = await care.Db.CareVisits.AsNoTracking()
            .Where(v => volunteerIds.Contains(v.VolunteerId) && v.VisitedOn >= first && v.VisitedOn <= last)
            .Select(v => new MonthlyVisitCheck.VisitDay(v.VolunteerId, v.RecipientId, v.VisitedOn))
            .ToListAsync(cancellationToken);
        var months = MonthlyVisitCheck.Evaluate(first, required, pairings, visits);
        var behindIds = months.Where(m => m.Behind).Select(m => m.VolunteerId).ToList();
        var people = await care.Db.Volunteers.AsNoTracking().Where(v => behindIds.Contains(v.Id))
            .Select(v => new { v.Id, v.Name, v.DivisionCode }).ToDictionaryAsync(v => v.Id, cancellationToken);
        var behind = months.Where(m => m.Behind)
            .Select(m => new BehindRow(m.VolunteerId, people[m.VolunteerId].Name, people[m.VolunteerId].DivisionCode.Value, m.PairedHouseholds,
                m.HouseholdsVisited, m.Visits, m.Short))
            .OrderBy(r => r.HomeStationCode, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.VolunteerId)
            .ToList();
        return TypedResults.Ok(new VisitsBehindReport($"{first:yyyy-MM}", prefix, required, months.Count, behind));
    }

    /// <summary>The visits with what the ledger holds for each now (its entry and the corrections to it).</summary>
    private static async Task<List<VisitResponse>> ResponsesAsync(IQueryable<CareVisit> query, VolunteersDbContext db, CancellationToken cancellationToken)
    {
        var visits = await query.ToListAsync(cancellationToken);
        var entryIds = visits.Select(v => v.LedgerEntryId).ToList();
        var corrections = await db.HourLedger.AsNoTracking().Where(e => e.CorrectsEntryId != null && entryIds.Contains(e.CorrectsEntryId.Value))
            .GroupBy(e => e.CorrectsEntryId!.Value).Select(g => new { EntryId = g.Key, Hundredths = g.Sum(e => e.Hundredths) })
            .ToDictionaryAsync(c => c.EntryId, c => c.Hundredths, cancellationToken);
        return [.. visits.Select(v => Response(v, v.Hundredths + corrections.GetValueOrDefault(v.LedgerEntryId)))];
    }

    private static VisitResponse Response(CareVisit v, int creditedHundredths) => new(v.Id, v.VolunteerId, v.RecipientId, v.PairingId, v.DivisionCode.Value,
        v.VisitedOn, v.Summary, v.Hours, new ServiceTime(creditedHundredths).Hours, v.LedgerEntryId, v.RecordedAt);

    private static ConflictException DuplicateVisit() =>
        new("This visit is recorded already: one visit per volunteer, household and day.");
}
