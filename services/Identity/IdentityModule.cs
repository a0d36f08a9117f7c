using MassTransit;
using PracticeMesh.Identity.Api;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Messaging;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Identity;

/// <summary>
/// Identity (身份认证): the platform's OAuth 2.0 / OpenID Connect token service (people by password or, from the web
/// console, at its sign-in page with the authorization code flow; partner systems by client credentials), the people and partner-client registries, and the county's audit trail (审计日志).
/// </summary>
public sealed class IdentityModule : IServiceModule
{
    public string Name => "identity";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IdentityDbContext>(Name);
        builder.AddTokenServer();
        // After the database initializer (hosted services start in order), so the schema exists.
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddHostedService<DemoVolunteerLink>();
    }

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<KeepAuditRecord>();
        bus.AddConsumer<LinkApprovedVolunteer>();
        bus.AddConsumer<TrackVolunteerSuspension>();
        bus.AddConsumer<TrackVolunteerReinstatement>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTokenEndpoint();
        endpoints.MapSignInEndpoints();
        endpoints.MapPeopleApi();
        endpoints.MapClientsApi();
        endpoints.MapAuditApi();
    }
}
