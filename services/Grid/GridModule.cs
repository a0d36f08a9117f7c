using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using PracticeMesh.Grid.Api;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.Statistics;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid;

/// <summary>Grid management (网格化管理): each village split into level-2 and level-3 grids, their workers, and the cases found in them.</summary>
public sealed class GridModule : IServiceModule
{
    public string Name => "grid";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<GridDbContext>(Name, ConfigurePostgres);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Grid").Get<GridOptions>() ?? new GridOptions());
        builder.Services.AddScoped<CaseIntake>();
        builder.Services.AddSingleton<NtsGridIndex>();
        builder.Services.AddScoped<IGridLocator, NtsGridLocator>();
        builder.Services.AddScoped<ICaseTimeLimits, ProvisionalTimeLimits>();
        builder.Services.AddHostedService<DefaultCategorySeeder>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGridApi();
        endpoints.MapGridStatistics();
    }

    /// <summary>PostGIS geometry through NetTopologySuite (also what the design-time factory uses for migrations).</summary>
    public static void ConfigurePostgres(NpgsqlDbContextOptionsBuilder options) => options.UseNetTopologySuite();
}
