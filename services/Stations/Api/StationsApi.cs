using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record RegisterStationRequest(string? Code, string? Name, StationKind Kind);

public sealed record StationResponse(Guid Id, string Code, string DivisionCode, string Name, StationKind Kind, string? ParentCode, StationStatus Status, DateTimeOffset RegisteredAt)
{
    public static StationResponse From(Station s) => new(s.Id, s.Code, s.DivisionCode.Value, s.Name, s.Kind, s.ParentCode, s.Status, s.RegisteredAt);
}

public static class StationsApi
{
    public static IEndpointRouteBuilder MapStationsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/stations").WithTags("Stations")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, StationsDbContext>("stations");
        api.MapPost("/", RegisterAsync).WithName("RegisterStation").WithSummary("Register a centre, institute or station under its parent")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/{code}", GetAsync).WithName("GetStation").RequireAuthorization(ApiScopes.StationsRead);
        api.MapGet("/{code}/children", ChildrenAsync).WithName("GetStationChildren").RequireAuthorization(ApiScopes.StationsRead);
        api.MapGet("/", ListAsync).WithName("ListStations").WithSummary("Sites whose code starts with a prefix (a whole subtree), within the caller's scope")
            .RequireAuthorization(ApiScopes.StationsRead);
        return endpoints;
    }

    public static async Task<Created<StationResponse>> RegisterAsync(RegisterStationRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Station? parent = null;
        if (DivisionCode.TryParse(request.Code, out var code))
        {
            caller.EnsureMayCreateIn(code);
            if (code.Parent is { } parentCode)
            {
                parent = await db.Stations.SingleOrDefaultAsync(s => s.Code == parentCode.Value, cancellationToken);
            }
        }
        var station = Station.Register(request.Code, request.Name, request.Kind, parent, now);
        if (await db.Stations.AnyAsync(s => s.Code == station.Code, cancellationToken))
        {
            throw new ConflictException($"A site with code {station.Code} is already registered.");
        }
        db.Stations.Add(station);
        db.AddEvent(station.ToRegisteredEvent(now), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException($"A site with code {station.Code} is already registered.");
        }
        return TypedResults.Created($"/api/v1/stations/{station.Code}", StationResponse.From(station));
    }

    public static async Task<Ok<StationResponse>> GetAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken);
        return TypedResults.Ok(StationResponse.From(station));
    }

    public static async Task<Ok<List<StationResponse>>> ChildrenAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken);
        var children = await db.Stations.AsNoTracking().Where(s => s.ParentCode == station.Code).OrderBy(s => s.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(children.Select(StationResponse.From).ToList());
    }

    public static async Task<Ok<List<StationResponse>>> ListAsync(string? under, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<StationResponse>());
        }
        var stations = await db.Stations.AsNoTracking().Where(s => s.Code.StartsWith(prefix)).OrderBy(s => s.Code).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(stations.Select(StationResponse.From).ToList());
    }

    private static async Task<Station> FindAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (!DivisionCode.TryParse(code, out var division, out var error))
        {
            throw new DomainValidationException("code", error);
        }
        var what = $"site with code {division} is registered";
        caller.EnsureCovers(division, what);
        return await db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == division.Value, cancellationToken)
            ?? throw new NotFoundException($"No {what}.");
    }
}
