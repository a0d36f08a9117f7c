using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Domain;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Api;

public sealed record CreateGridRequest(string? VillageCode, string? ParentCode, int Serial, string? Name, string? CadreName);

public sealed record GridResponse(Guid Id, string Code, string VillageCode, string Name, int Level, string? ParentCode, string? CadreName)
{
    public static GridResponse From(GridCell g) => new(g.Id, g.Code, g.DivisionCode.Value, g.Name, g.Level, g.ParentCode, g.CadreName);
}

public static class GridApi
{
    public static IEndpointRouteBuilder MapGridApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/grid").WithTags("Grid")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        api.MapPost("/grids", CreateAsync).WithRequestExample("""{"villageCode":"321324104201","serial":1,"name":"一组网格","cadreName":"李明"}""").WithName("CreateGrid").RequireAuthorization(ApiScopes.GridWrite);
        api.MapGet("/grids/{code}", GetAsync).WithName("GetGrid").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/grids", ListAsync).WithName("ListGrids").WithSummary("Grids under a division code prefix, within the caller's scope")
            .RequireAuthorization(ApiScopes.GridRead);
        return endpoints;
    }

    public static async Task<Created<GridResponse>> CreateAsync(CreateGridRequest request, GridDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DivisionCode.TryParse(request.VillageCode, out var village))
        {
            caller.EnsureMayCreateIn(village);
        }
        GridCell? parent = null;
        if (!string.IsNullOrWhiteSpace(request.ParentCode))
        {
            parent = await db.Grids.AsNoTracking().SingleOrDefaultAsync(g => g.Code == request.ParentCode, cancellationToken);
            if (parent is null || !caller.Covers(parent.DivisionCode))
            {
                throw new NotFoundException($"No grid {request.ParentCode}.");
            }
        }
        var grid = GridCell.Create(request.VillageCode, parent, request.Serial, request.Name, request.CadreName, time.GetUtcNow());
        db.Grids.Add(grid);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException($"Grid {grid.Code} already exists.");
        }
        return TypedResults.Created($"/api/v1/grid/grids/{grid.Code}", GridResponse.From(grid));
    }

    public static async Task<Ok<GridResponse>> GetAsync(string code, GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var grid = await db.Grids.AsNoTracking().SingleOrDefaultAsync(g => g.Code == code, cancellationToken);
        if (grid is null || !caller.Covers(grid.DivisionCode))
        {
            throw new NotFoundException($"No grid {code}.");
        }
        return TypedResults.Ok(GridResponse.From(grid));
    }

    public static async Task<Ok<List<GridResponse>>> ListAsync(string? under, GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<GridResponse>());
        }
        var grids = await db.Grids.AsNoTracking().Where(g => g.Code.StartsWith(prefix)).OrderBy(g => g.Code).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(grids.Select(GridResponse.From).ToList());
    }
}
