using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// One service as a module: its own Program.cs hosts it alone, the standalone host composes all of them.
/// A module never asks which mode it runs in; configuration picks the database, bus and cache.
/// </summary>
public interface IServiceModule
{
    /// <summary>Short lower-case name: the connection-string key and the public path segment.</summary>
    string Name { get; }

    /// <summary>Registers the module's database, domain services and options.</summary>
    void AddServices(IHostApplicationBuilder builder);

    /// <summary>Registers the module's consumers on the one bus of the process.</summary>
    void AddConsumers(IBusRegistrationConfigurator bus) { }

    /// <summary>Maps the module's HTTP API.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
