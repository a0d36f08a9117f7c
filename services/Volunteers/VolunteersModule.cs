using MassTransit;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Volunteers.Api;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Messaging;

namespace PracticeMesh.Volunteers;

/// <summary>Volunteers (志愿者): registration and review, and the hour ledger credited from completed activities.</summary>
public sealed class VolunteersModule : IServiceModule
{
    public string Name => "volunteers";

    public void AddServices(IHostApplicationBuilder builder) => builder.AddServiceDatabase<VolunteersDbContext>(Name);

    public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<CreditHoursOnActivityCompleted>();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapVolunteersApi();
}
