using MassTransit;
using PracticeMesh.Activities.Api;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Messaging;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Activities;

/// <summary>Activities (活动): publishing, sign-up, check-in and check-out, completion.</summary>
public sealed class ActivitiesModule : IServiceModule
{
    public string Name => "activities";

    public void AddServices(IHostApplicationBuilder builder) => builder.AddServiceDatabase<ActivitiesDbContext>(Name);

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TrackStationRegistered>();
        bus.AddConsumer<TrackVolunteerApproved>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapActivitiesApi();
}
