namespace PracticeMesh.Gateway.Cells;

public static class CellsExtensions
{
    /// <summary>The routing table, its reloading and the county-wide reads; routing itself is <see cref="CellRoutingMiddleware"/>.</summary>
    public static IServiceCollection AddTownshipCells(this IServiceCollection services)
    {
        services.AddSingleton<CellTableSource>();
        services.AddHostedService(provider => provider.GetRequiredService<CellTableSource>());
        services.AddSingleton<TownshipLocator>();
        services.AddSingleton<CountyReads>();
        services.AddSingleton<PointLocator>();
        services.AddSingleton<FindInCells>();
        services.AddHealthChecks().AddCheck<CellTableHealthCheck>("cells", tags: [PracticeMesh.ServiceDefaults.ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
