using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Stations.Api;
using PracticeMesh.Stations.Data;

namespace PracticeMesh.Stations;

/// <summary>The county's registry of practice sites: centre, institutes (实践所) and stations (实践站).</summary>
public sealed class StationsModule : IServiceModule
{
    public string Name => "stations";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<StationsDbContext>(Name);
        builder.Services.AddSingleton<StationTreeCache>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapStationsApi();
}
