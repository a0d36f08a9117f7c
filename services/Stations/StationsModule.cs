using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Stations.Api;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations;

/// <summary>The county's registry of practice sites: centre, institutes (实践所) and stations (实践站).</summary>
public sealed class StationsModule : IServiceModule
{
    public string Name => "stations";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<StationsDbContext>(Name);
        builder.Services.AddSingleton<StationTreeCache>();
        // County settings (docs/county-settings.md): checked at start, so a county's mistake stops the host, not a request.
        builder.Services.AddOptions<StationsOptions>().BindConfiguration(StationsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StationsOptions>, StationsOptionsValidator>();
        builder.Services.AddSingleton(services => new StaffingRule(services.GetRequiredService<IOptions<StationsOptions>>().Value.Staffing));
        builder.Services.AddSingleton(services => SixHavesChecklist.From(services.GetRequiredService<IOptions<StationsOptions>>().Value.SixHaves));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapStationsApi();

    private sealed class StationsOptionsValidator : IValidateOptions<StationsOptions>
    {
        public ValidateOptionsResult Validate(string? name, StationsOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
