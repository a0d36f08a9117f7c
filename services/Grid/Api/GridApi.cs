using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Domain;
using PracticeMesh.Grid.Grids;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Api;

/// <summary>A new grid; <c>boundary</c> is a GeoJSON Polygon in WGS 84 ([longitude, latitude]), optional.</summary>
public sealed record CreateGridRequest(string? VillageCode, string? ParentCode, int Serial, string? Name, int Households, int Population, JsonElement? Boundary);

/// <summary>
/// A grid's new description, replacing the old (a boundary left out is removed). <c>version</c>, when given, must be the
/// version read: a change made meanwhile answers 409 rather than being overwritten.
/// </summary>
public sealed record UpdateGridRequest(string? Name, int Households, int Population, JsonElement? Boundary, int? Version);

public sealed record GridPart(int Serial, string? Name, int Households, int Population, JsonElement? Boundary);

public sealed record SplitGridRequest(List<GridPart>? Parts, string? Reason);

/// <summary>Households and population default to the merged grids' sums, the boundary to their union.</summary>
public sealed record MergeGridsRequest(List<string>? Codes, int Serial, string? Name, int? Households, int? Population, JsonElement? Boundary, string? Reason);

public sealed record RetireGridRequest(string? Reason);

public sealed record GridResponse(
    Guid Id, string Code, string VillageCode, string Name, int Level, string? ParentCode, int Households, int Population,
    JsonElement? Boundary, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, string? RetiredReason,
    IReadOnlyList<string> PredecessorCodes, IReadOnlyList<string> SuccessorCodes, int Version)
{
    public static GridResponse From(GridCell g) => new(g.Id, g.Code, g.DivisionCode.Value, g.Name, g.Level, g.ParentCode, g.Households,
        g.Population, GeoJsonOf(g.BoundaryGeoJson), g.Active, g.CreatedAt, g.RetiredAt, g.RetiredReason, g.PredecessorCodes, g.SuccessorCodes, g.Version);

    internal static JsonElement? GeoJsonOf(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}

public sealed record GridChangeResponse(
    int Version, string Kind, DateTimeOffset At, string? ActorId, string? ActorName, string? Reason, IReadOnlyList<string> RelatedCodes,
    string Name, int Households, int Population, JsonElement? Boundary);

/// <summary>Where a point lies: the innermost active grid whose boundary covers it.</summary>
public sealed record LocateResponse(string GridCode, string VillageCode, int Level);

/// <summary>The township whose grids in the asked cell hold a point.</summary>
public sealed record TownshipLocated(string Township);

public static class GridApi
{
    public static IEndpointRouteBuilder MapGridApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/grid").WithTags("Grid")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        const string square = """{"type":"Polygon","coordinates":[[[118.30,33.40],[118.31,33.40],[118.31,33.41],[118.30,33.41],[118.30,33.40]]]}""";
        api.MapPost("/grids", CreateAsync).WithName("CreateGrid").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample($$"""{"villageCode":"321324104203","serial":1,"name":"一组网格","households":120,"population":410,"boundary":{{square}}}""");
        api.MapGet("/grids/geojson", GeoJsonAsync).WithName("GridsGeoJson")
            .WithSummary("The active grids with boundaries under a division code prefix, as a GeoJSON FeatureCollection").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/grids/{code}", GetAsync).WithName("GetGrid").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/grids", ListAsync).WithName("ListGrids").WithSummary("Grids under a division code prefix, within the caller's scope, retired ones included")
            .RequireAuthorization(ApiScopes.GridRead);
        api.MapPut("/grids/{code}", UpdateAsync).WithName("UpdateGrid").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample($$"""{"name":"一组网格","households":125,"population":420,"boundary":{{square}},"version":0}""");
        api.MapPost("/grids/{code}/split", SplitAsync).WithName("SplitGrid").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"parts":[{"serial":5,"name":"五组网格","households":60,"population":200},{"serial":6,"name":"六组网格","households":60,"population":210}],"reason":"户数过多，一分为二"}""");
        api.MapPost("/grids/merge", MergeAsync).WithName("MergeGrids").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"codes":["321324104201-05","321324104201-06"],"serial":7,"name":"合并网格","reason":"人口外流，合并管理"}""");
        api.MapPost("/grids/{code}/retire", RetireAsync).WithName("RetireGrid").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"reason":"村庄拆迁"}""");
        api.MapGet("/grids/{code}/history", HistoryAsync).WithName("GridHistory").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/locate", LocateAsync).WithName("LocateGrid").WithSummary("The grid a point (WGS 84) lies in: level 3 before level 2")
            .RequireAuthorization(ApiScopes.GridRead);
        // The gateway asks every grid cell this for an Open311 post that names only a point (docs/architecture.md,
        // "Open311 across cells"). Anonymous, as the post is, and it tells only a township, never a grid; from outside,
        // the gateway's route still asks for a token as on every /api/v1 path.
        api.MapGet("/locate/township", LocateTownshipAsync).WithName("LocateTownship")
            .WithSummary("The township whose grids in this cell hold a point (WGS 84); 404 when none does").AllowAnonymous();
        return endpoints;
    }

    public static async Task<Ok<TownshipLocated>> LocateTownshipAsync(double? lat, double? lon, IGridLocator locator, CancellationToken cancellationToken)
    {
        if (lat is not (>= -90 and <= 90) || lon is not (>= -180 and <= 180))
        {
            throw new DomainValidationException(lat is not (>= -90 and <= 90) ? "lat" : "lon",
                "A latitude of -90 to 90 and a longitude of -180 to 180 are required.");
        }
        var code = await locator.LocateAsync(lat.Value, lon.Value, cancellationToken)
            ?? throw new NotFoundException($"No grid here holds ({lat}, {lon}).");
        return TypedResults.Ok(new TownshipLocated(code[..9]));
    }

    public static async Task<Created<GridResponse>> CreateAsync(CreateGridRequest request, GridEditor editor, CancellationToken cancellationToken)
    {
        var draft = new GridDraft(request.Serial, request.Name, request.Households, request.Population, GridBoundary.Parse(request.Boundary));
        var grid = await editor.CreateAsync(request.VillageCode, request.ParentCode, draft, cancellationToken);
        return TypedResults.Created($"/api/v1/grid/grids/{grid.Code}", GridResponse.From(grid));
    }

    public static async Task<Ok<GridResponse>> GetAsync(string code, GridEditor editor, CancellationToken cancellationToken) =>
        TypedResults.Ok(GridResponse.From(await editor.FindAsync(code, cancellationToken)));

    public static async Task<Ok<List<GridResponse>>> ListAsync(string? under, GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<GridResponse>());
        }
        var grids = await db.Grids.AsNoTracking().Where(g => g.Code.StartsWith(prefix)).OrderBy(g => g.Code).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(grids.Select(GridResponse.From).ToList());
    }

    public static async Task<Ok<GridResponse>> UpdateAsync(string code, UpdateGridRequest request, GridEditor editor, CancellationToken cancellationToken)
    {
        var boundary = GridBoundary.Parse(request.Boundary);
        var grid = await editor.UpdateAsync(code, request.Name, request.Households, request.Population, boundary, request.Version, cancellationToken);
        return TypedResults.Ok(GridResponse.From(grid));
    }

    public static async Task<Ok<List<GridResponse>>> SplitAsync(string code, SplitGridRequest request, GridEditor editor, CancellationToken cancellationToken)
    {
        var parts = (request.Parts ?? []).Select((p, i) =>
        {
            var field = $"parts[{i}].boundary";
            return new GridDraft(p.Serial, p.Name, p.Households, p.Population, GridBoundary.Parse(p.Boundary, field), field);
        }).ToList();
        var created = await editor.SplitAsync(code, parts, request.Reason, cancellationToken);
        return TypedResults.Ok(created.Select(GridResponse.From).ToList());
    }

    public static async Task<Created<GridResponse>> MergeAsync(MergeGridsRequest request, GridEditor editor, CancellationToken cancellationToken)
    {
        var boundary = GridBoundary.Parse(request.Boundary);
        var countsGiven = request.Households is not null || request.Population is not null;
        var draft = new GridDraft(request.Serial, request.Name, request.Households ?? 0, request.Population ?? 0, boundary);
        var merged = await editor.MergeAsync(request.Codes ?? [], draft, boundary is not null, countsGiven, request.Reason, cancellationToken);
        return TypedResults.Created($"/api/v1/grid/grids/{merged.Code}", GridResponse.From(merged));
    }

    public static async Task<Ok<GridResponse>> RetireAsync(string code, RetireGridRequest request, GridEditor editor, CancellationToken cancellationToken) =>
        TypedResults.Ok(GridResponse.From(await editor.RetireAsync(code, request.Reason, cancellationToken)));

    public static async Task<Ok<List<GridChangeResponse>>> HistoryAsync(string code, GridEditor editor, GridDbContext db, CancellationToken cancellationToken)
    {
        await editor.FindAsync(code, cancellationToken);
        var changes = await db.Set<GridChange>().AsNoTracking().Where(c => c.GridCode == code).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(changes.Select(c => new GridChangeResponse(c.Version, c.Kind.ToString(), c.At, c.ActorId, c.ActorName, c.Reason,
            c.RelatedCodes, c.Name, c.Households, c.Population, GridResponse.GeoJsonOf(c.BoundaryGeoJson))).ToList());
    }

    /// <summary>A FeatureCollection a map draws directly: one feature per active grid with a boundary.</summary>
    public static async Task<JsonHttpResult<JsonObject>> GeoJsonAsync(string? under, GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var features = new JsonArray();
        if (caller.ListPrefix(under) is { } prefix)
        {
            var grids = await db.Grids.AsNoTracking()
                .Where(g => g.Code.StartsWith(prefix) && g.RetiredAt == null && g.BoundaryGeoJson != null)
                .OrderBy(g => g.Code)
                .Select(g => new { g.Code, g.Name, g.Level, g.Households, g.Population, g.BoundaryGeoJson })
                .ToListAsync(cancellationToken);
            foreach (var g in grids)
            {
                features.Add(new JsonObject
                {
                    ["type"] = "Feature",
                    ["id"] = g.Code,
                    ["geometry"] = JsonNode.Parse(g.BoundaryGeoJson!),
                    ["properties"] = new JsonObject
                    {
                        ["code"] = g.Code, ["name"] = g.Name, ["level"] = g.Level, ["villageCode"] = g.Code[..12],
                        ["households"] = g.Households, ["population"] = g.Population,
                    },
                });
            }
        }
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
        return TypedResults.Json(collection, contentType: "application/geo+json");
    }

    public static async Task<Ok<LocateResponse>> LocateAsync(double? lat, double? lon, IGridLocator locator, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (lat is not (>= -90 and <= 90))
        {
            errors["lat"] = ["A latitude of -90 to 90 is required."];
        }
        if (lon is not (>= -180 and <= 180))
        {
            errors["lon"] = ["A longitude of -180 to 180 is required."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var code = await locator.LocateAsync(lat!.Value, lon!.Value, cancellationToken);
        if (code is null || !caller.Covers(DivisionCode.Parse(code[..12])))
        {
            throw new NotFoundException($"No grid of yours covers ({lat}, {lon}).");
        }
        return TypedResults.Ok(new LocateResponse(code, code[..12], GridCell.LevelOf(code)));
    }
}
