using Microsoft.AspNetCore.Builder;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// What a host adds to the pipeline <see cref="ServiceDefaultsExtensions.MapServiceDefaults"/> builds, registered as a
/// service: the web basics know nothing of modules, databases or the bus, and a host of modules (ServiceDefaults.Data)
/// still gets its middleware in the right place with the same one call.
/// </summary>
public interface IServiceDefaultsPipeline
{
    /// <summary>Middleware that must run after authentication and authorization (it needs the caller).</summary>
    void UseAfterAuthorization(WebApplication app);

    /// <summary>Endpoints, mapped after the health endpoints and before OpenAPI.</summary>
    void MapEndpoints(WebApplication app);
}
