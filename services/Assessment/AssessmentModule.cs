using MassTransit;
using PracticeMesh.Assessment.Api;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Messaging;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Assessment;

/// <summary>Assessment (考评): the indicators each station is scored on, fed by the other services' events.</summary>
public sealed class AssessmentModule : IServiceModule
{
    public string Name => "assessment";

    public void AddServices(IHostApplicationBuilder builder) => builder.AddServiceDatabase<AssessmentDbContext>(Name);

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CountCompletedActivity>();
        bus.AddConsumer<CountActivityCompletionCorrection>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapAssessmentApi();
}
