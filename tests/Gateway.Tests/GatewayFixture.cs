using Microsoft.AspNetCore.Mvc.Testing;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>The real gateway (its own appsettings.json) in standalone mode with every cluster pointed at one echo backend.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public static readonly string[] Clusters = GatewayHost.ServiceClusters;
    public const string AllowedOrigin = "https://dashboard.example.test";
    public const long MaxBodyBytes = 4096;

    private EchoBackend? backend;
    private WebApplicationFactory<GatewayMarker>? factory;

    public EchoBackend Backend => backend ?? throw new InvalidOperationException("Fixture not started.");

    /// <summary>A client acting as a county admin (a fresh subject each time, so limits and keys never mix).</summary>
    public HttpClient CreateClient() => CreateAnonymousClient().WithToken(GatewayHost.PersonToken());

    public HttpClient CreateAnonymousClient() =>
        (factory ?? throw new InvalidOperationException("Fixture not started.")).CreateClient();

    public async Task InitializeAsync()
    {
        backend = await EchoBackend.StartAsync();
        var settings = GatewayHost.Settings(backend.Address);
        settings["Gateway:Cors:AllowedOrigins:0"] = AllowedOrigin;
        settings["Gateway:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory = GatewayHost.Create(settings);
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
