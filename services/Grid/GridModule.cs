using PracticeMesh.Grid.Api;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid;

/// <summary>Grid management (网格化管理): each village split into level-2 and level-3 grids, each with its cadre.</summary>
public sealed class GridModule : IServiceModule
{
    public string Name => "grid";

    public void AddServices(IHostApplicationBuilder builder) => builder.AddServiceDatabase<GridDbContext>(Name);

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapGridApi();
}
