using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record PlanItemRequest(DateOnly? Date, string? Title, string? Content);

public sealed record CreatePairingRequest(string? PartnerUnit, DateOnly? StartsOn, DateOnly? EndsOn, List<PlanItemRequest>? PlanItems);

public sealed record PlanItemResponse(Guid Id, DateOnly Date, string Title, string? Content)
{
    public static PlanItemResponse From(PairingPlanItem i) => new(i.Id, i.Date, i.Title, i.Content);
}

public sealed record PairingResponse(Guid Id, string StationCode, string PartnerUnit, DateOnly StartsOn, DateOnly EndsOn, List<PlanItemResponse> PlanItems)
{
    public static PairingResponse From(Pairing p) => new(p.Id, p.StationCode, p.PartnerUnit, p.StartsOn, p.EndsOn,
        p.PlanItems.OrderBy(i => i.Date).ThenBy(i => i.Title, StringComparer.Ordinal).Select(PlanItemResponse.From).ToList());
}

/// <summary>结对共建: county units paired with stations, and their joint plans.</summary>
public static class PairingsApi
{
    public static RouteGroupBuilder MapPairingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/pairings", ListAsync).WithName("GetStationPairings")
            .WithSummary("The county units paired with a station (结对共建), with their periods and joint plans")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapPost("/{code}/pairings", CreateAsync).WithName("CreateStationPairing")
            .WithSummary("Pair a county unit with a station for a period (at most Stations:PairingMaxYears, by default 3 years), with its joint plan items")
            .WithDescription("Example: {\"partnerUnit\":\"泗洪县林业局\",\"startsOn\":\"2026-01-01\",\"endsOn\":\"2026-12-31\",\"planItems\":[{\"date\":\"2026-03-12\",\"title\":\"植树节义务植树\"}]}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapPost("/{code}/pairings/{id:guid}/plan-items", AddPlanItemAsync).WithName("AddPairingPlanItem")
            .WithSummary("Add an item to a pairing's joint plan; its date lies within the pairing's period")
            .WithDescription("Example: {\"date\":\"2026-09-09\",\"title\":\"重阳节敬老慰问\",\"content\":\"走访慰问高龄老人\"}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        return api;
    }

    public static async Task<Ok<List<PairingResponse>>> ListAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken, tracked: false);
        var pairings = await db.Pairings.AsNoTracking().Include(p => p.PlanItems).Where(p => p.StationCode == station.Code)
            .OrderBy(p => p.StartsOn).ToListAsync(cancellationToken);
        return TypedResults.Ok(pairings.Select(PairingResponse.From).ToList());
    }

    public static async Task<Created<PairingResponse>> CreateAsync(
        string code, CreatePairingRequest request, StationsDbContext db, Caller caller, AcceptedDates dates, IOptions<StationsOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        // Plan items need no check of their own: each must fall within the pairing's period.
        dates.Ensure(("startsOn", request.StartsOn), ("endsOn", request.EndsOn));
        var now = time.GetUtcNow();
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        var existing = await db.Pairings.AsNoTracking().Where(p => p.StationCode == station.Code).ToListAsync(cancellationToken);
        var pairing = Pairing.Create(station, existing, request.PartnerUnit, request.StartsOn, request.EndsOn, options.Value.PairingMaxYears, now);
        foreach (var (item, index) in (request.PlanItems ?? []).Select((item, index) => (item, index)))
        {
            try
            {
                pairing.AddPlanItem(item.Date, item.Title, item.Content, now);
            }
            catch (DomainValidationException ex)
            {
                // Name the item in the request, as planItems[2].date.
                throw new DomainValidationException(ex.Errors.ToDictionary(e => $"planItems[{index}].{e.Key}", e => e.Value));
            }
        }
        db.Pairings.Add(pairing);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/stations/{station.Code}/pairings/{pairing.Id}", PairingResponse.From(pairing));
    }

    public static async Task<Created<PlanItemResponse>> AddPlanItemAsync(
        string code, Guid id, PlanItemRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        station.EnsureActive();
        var pairing = await db.Pairings.Include(p => p.PlanItems).SingleOrDefaultAsync(p => p.Id == id && p.StationCode == station.Code, cancellationToken)
            ?? throw new NotFoundException($"No pairing {id} at {station.Code}.");
        var item = pairing.AddPlanItem(request.Date, request.Title, request.Content, now);
        // Added explicitly: found through the navigation with its key set, EF would take it for an existing row.
        db.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/stations/{station.Code}/pairings/{pairing.Id}", PlanItemResponse.From(item));
    }
}
