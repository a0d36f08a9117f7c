using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace PracticeMesh.Gateway.Tests;

/// <summary>The real gateway (its own appsettings.json) with every cluster pointed at one echo backend.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public static readonly string[] Clusters = ["stations", "volunteers", "activities", "grid", "assessment"];

    private EchoBackend? backend;
    private WebApplicationFactory<GatewayMarker>? factory;

    public HttpClient CreateClient() =>
        (factory ?? throw new InvalidOperationException("Fixture not started.")).CreateClient();

    public async Task InitializeAsync()
    {
        backend = await EchoBackend.StartAsync();
        var address = backend.Address.ToString();
        // The same key an operator sets as ReverseProxy__Clusters__<name>__Destinations__primary__Address.
        var overrides = Clusters.ToDictionary(
            name => $"ReverseProxy:Clusters:{name}:Destinations:primary:Address",
            _ => (string?)address);
        factory = new WebApplicationFactory<GatewayMarker>().WithWebHostBuilder(web =>
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(overrides)));
        // Build the host now so a broken configuration fails here, once, not in every test.
        _ = factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        if (backend is not null)
        {
            await backend.DisposeAsync();
        }
    }
}
