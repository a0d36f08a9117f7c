using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

/// <param name="StartsOn">The first China day of the pairing (yyyy-MM-dd).</param>
/// <param name="EndsOn">The last day; without one, the pairing runs as long as the county allows (Care:MaxPairingYears).</param>
public sealed record PairRequest([property: Required] Guid? VolunteerId, [property: Required] Guid? RecipientId, [property: Required] DateOnly? StartsOn,
    DateOnly? EndsOn = null);

/// <param name="EndsOn">The last day the pairing holds; default today, or the day before it begins for one not begun.</param>
public sealed record EndPairingRequest(DateOnly? EndsOn, string? Reason);

public sealed record PairingResponse(Guid Id, Guid VolunteerId, string VolunteerName, Guid RecipientId, string RecipientName, string StationCode,
    DateOnly StartsOn, DateOnly EndsOn, CarePairingStatus Status, DateTimeOffset? EndedAt, string? EndReason);

/// <summary>A pairing as the volunteer sees it: whom to visit and where; no personal data.</summary>
public sealed record MyPairingResponse(Guid Id, Guid RecipientId, string RecipientName, CareRecipientCategory Category, string Address,
    DateOnly StartsOn, DateOnly EndsOn, CarePairingStatus Status);

/// <summary>Pairings (一对一结对帮扶): an admin pairs a volunteer with a person of the same station, and ends it.</summary>
public static class PairingsApi
{
    public static void MapPairingsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/pairings", PairAsync).WithName("PairVolunteerWithCareRecipient")
            .WithSummary("Pair a volunteer with a person of the same station (一对一结对); at most Care:MaxPairingYears (county default 3) long")
            .WithRequestExample("""{"volunteerId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","recipientId":"0196f0a4-8a11-7d3c-9f40-6b7c8d9e0f1a","startsOn":"2026-03-01","endsOn":"2027-02-28"}""")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/pairings", ListAsync).WithName("ListCarePairings")
            .WithSummary("Pairings under a division prefix, by volunteer or person served; activeOn keeps those holding on that day")
            .WithDescription("Example: ?under=321324104201&volunteerId=...&recipientId=...&activeOn=2026-03-15.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/pairings/mine", MineAsync).WithName("ListMyCarePairings")
            .WithSummary("The signed-in volunteer's current and coming pairings: whom to visit and where")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/pairings/{id:guid}/end", EndAsync).WithName("EndCarePairing")
            .WithSummary("End a pairing after its last day (default today), with a reason")
            .WithRequestExample("""{"endsOn":"2026-06-30","reason":"志愿者外出务工"}""")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
    }

    public static async Task<Created<PairingResponse>> PairAsync(PairRequest request, CareServices care, CancellationToken cancellationToken)
    {
        care.Dates.Ensure(("startsOn", request.StartsOn), ("endsOn", request.EndsOn));
        var errors = new Dictionary<string, string[]>();
        if (request.VolunteerId is null)
        {
            errors["volunteerId"] = ["The volunteer is required."];
        }
        if (request.RecipientId is null)
        {
            errors["recipientId"] = ["The person served is required."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        var volunteer = await Api.VolunteersApi.FindAsync(request.VolunteerId!.Value, care.Db, care.Caller, cancellationToken);
        var recipient = await CareApi.FindRecipientAsync(request.RecipientId!.Value, care, cancellationToken);
        var earlier = await care.Db.CarePairings.Where(p => p.VolunteerId == volunteer.Id && p.RecipientId == recipient.Id).ToListAsync(cancellationToken);
        var pairing = CarePairing.Pair(volunteer, recipient, request.StartsOn, request.EndsOn, care.Options.MaxPairingYears, earlier, care.Now);
        care.Db.CarePairings.Add(pairing);
        await CareApi.SaveAsync(care.Db, () => new ConflictException("These two were paired at the same moment by someone else."), cancellationToken);
        return TypedResults.Created($"{CareApi.Path}/pairings?volunteerId={volunteer.Id}", Response(pairing, volunteer.Name, recipient.Name, care.Today));
    }

    public static async Task<Ok<List<PairingResponse>>> ListAsync(CareServices care, string? under, Guid? volunteerId, Guid? recipientId,
        DateOnly? activeOn, CancellationToken cancellationToken)
    {
        care.Dates.Ensure("activeOn", activeOn);
        var prefix = care.Caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<PairingResponse>());
        }
        var query = care.Db.CarePairings.AsNoTracking().Where(p => ((string)p.DivisionCode).StartsWith(prefix));
        if (volunteerId is { } v)
        {
            query = query.Where(p => p.VolunteerId == v);
        }
        if (recipientId is { } r)
        {
            query = query.Where(p => p.RecipientId == r);
        }
        if (activeOn is { } day)
        {
            query = query.Where(p => p.StartsOn <= day && p.EndsOn >= day);
        }
        return TypedResults.Ok(await ResponsesAsync(query.OrderBy(p => p.StartsOn).ThenBy(p => p.Id).Take(1000), care, cancellationToken));
    }

    public static async Task<Ok<List<MyPairingResponse>>> MineAsync(CareServices care, CancellationToken cancellationToken)
    {
        var volunteerId = care.Caller.VolunteerId ?? throw new NotFoundException("Your login is linked to no volunteer.");
        var today = care.Today;
        var rows = await care.Db.CarePairings.AsNoTracking()
            .Where(p => p.VolunteerId == volunteerId && p.EndsOn >= today && p.StartsOn <= p.EndsOn)
            .Join(care.Db.CareRecipients, p => p.RecipientId, r => r.Id, (p, r) => new { Pairing = p, r.Name, r.Category, r.Address })
            .OrderBy(x => x.Pairing.StartsOn).ThenBy(x => x.Name)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(x => new MyPairingResponse(x.Pairing.Id, x.Pairing.RecipientId, x.Name, x.Category, x.Address,
            x.Pairing.StartsOn, x.Pairing.EndsOn, x.Pairing.StatusOn(today))).ToList());
    }

    public static async Task<Ok<PairingResponse>> EndAsync(Guid id, EndPairingRequest request, CareServices care, CancellationToken cancellationToken)
    {
        care.Dates.Ensure("endsOn", request.EndsOn);
        var pairing = await care.Db.CarePairings.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pairing is null || !care.Caller.Covers(pairing.DivisionCode))
        {
            throw new NotFoundException($"No pairing {id}.");
        }
        var latestVisit = await care.Db.CareVisits.Where(v => v.PairingId == pairing.Id).MaxAsync(v => (DateOnly?)v.VisitedOn, cancellationToken);
        pairing.End(request.EndsOn, request.Reason, latestVisit, care.Now);
        await care.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok((await ResponsesAsync(care.Db.CarePairings.AsNoTracking().Where(p => p.Id == id), care, cancellationToken))[0]);
    }

    /// <summary>The pairings with the names of both people, in two look-ups rather than one per row.</summary>
    internal static async Task<List<PairingResponse>> ResponsesAsync(IQueryable<CarePairing> query, CareServices care, CancellationToken cancellationToken)
    {
        var pairings = await query.ToListAsync(cancellationToken);
        var volunteerIds = pairings.Select(p => p.VolunteerId).Distinct().ToList();
        var recipientIds = pairings.Select(p => p.RecipientId).Distinct().ToList();
        var volunteers = await care.Db.Volunteers.AsNoTracking().Where(v => volunteerIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, cancellationToken);
        var recipients = await care.Db.CareRecipients.AsNoTracking().Where(r => recipientIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        return [.. pairings.Select(p => Response(p, volunteers.GetValueOrDefault(p.VolunteerId, ""), recipients.GetValueOrDefault(p.RecipientId, ""), care.Today))];
    }

    private static PairingResponse Response(CarePairing p, string volunteerName, string recipientName, DateOnly today) =>
        new(p.Id, p.VolunteerId, volunteerName, p.RecipientId, recipientName, p.DivisionCode.Value, p.StartsOn, p.EndsOn, p.StatusOn(today), p.EndedAt, p.EndReason);
}
