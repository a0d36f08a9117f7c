using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using PracticeMesh.Grid.Api;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Dapr;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.Open311;
using PracticeMesh.Grid.People;
using PracticeMesh.Grid.Statistics;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Dapr;

namespace PracticeMesh.Grid;

/// <summary>Grid management (网格化管理): each village split into level-2 and level-3 grids, their workers, and the cases found in them.</summary>
public sealed class GridModule : IServiceModule
{
    public string Name => "grid";

    /// <summary><c>Dapr:Enabled</c>, read when the services are added (before the consumers and endpoints are).</summary>
    private bool dapr;

    public void AddServices(IHostApplicationBuilder builder)
    {
        // PostGIS must be in the database before the migration's CREATE EXTENSION IF NOT EXISTS, which the service's role may
        // not run: a database the service creates itself comes from a template that has it (deploy/local/start.sh makes it).
        builder.AddServiceDatabase<GridDbContext>(Name, ConfigurePostgres, builder.Configuration["Grid:DatabaseTemplate"] ?? PostgisTemplate);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Grid").Get<GridOptions>() ?? new GridOptions());
        builder.Services.AddScoped<CaseIntake>();
        builder.Services.AddSingleton<NtsGridIndex>();
        builder.Services.AddScoped<GridEditor>();
        builder.Services.AddSingleton<GridWriteGate>();
        // PostGIS where the boundaries are a spatial column (every replica sees every write); the in-memory index on SQLite.
        builder.Services.AddScoped<IGridLocator>(services => services.GetRequiredService<GridDbContext>() is { Spatial: true } db
            ? new PostGisGridLocator(db)
            : new NtsGridLocator(services.GetRequiredService<GridDbContext>(), services.GetRequiredService<NtsGridIndex>()));
        builder.AddCaseTimeLimits();
        builder.Services.AddHostedService<DefaultCategorySeeder>();
        builder.AddGridPeople();
        builder.AddOpen311();
        dapr = builder.Configuration.GetValue<bool>(DaprOptions.EnabledKey);
        if (dapr)
        {
            GridDapr.AddServices(builder);
        }
    }

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RecordPersonChanged>();
        bus.AddConsumer<TrackVillageOnStationRegistered>();
        bus.AddConsumer<TrackVillageOnStationUpdated>();
        bus.AddConsumer<TrackVillageOnStationClosed>();
        bus.AddConsumer<ApplyCaseCategoriesChanged>();
        bus.AddConsumer<ApplyWorkingCalendarChanged>();
        bus.AddConsumer<MirrorOpen311Key>();
        if (dapr)
        {
            GridDapr.AddConsumers(bus);
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGridApi().MapCaseTimeLimits().MapCasesApi();
        endpoints.MapPeopleApi();
        endpoints.MapOpen311();
        endpoints.MapGridStatistics();
        if (dapr)
        {
            GridDapr.MapEndpoints(endpoints);
        }
    }

    /// <summary>The PostgreSQL template with PostGIS installed that deploy/local/start.sh creates.</summary>
    public const string PostgisTemplate = "template_postgis";

    /// <summary>PostGIS geometry through NetTopologySuite (also what the design-time factory uses for migrations).</summary>
    public static void ConfigurePostgres(NpgsqlDbContextOptionsBuilder options) => options.UseNetTopologySuite();
}
