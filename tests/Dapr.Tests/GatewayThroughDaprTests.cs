using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PracticeMesh.Gateway;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>
/// The gateway with Dapr on reaches every service through Dapr service invocation: the request goes to the sidecar
/// (here its stand-in), which passes it to the app named by the cluster, never to the cluster's configured address.
/// </summary>
public sealed class GatewayThroughDaprTests : IAsyncLifetime
{
    /// <summary>Where no service listens: a gateway that used the configured addresses would fail.</summary>
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    private static readonly string[] Clusters = ["stations", "volunteers", "activities", "grid", "assessment", "identity"];

    private DaprSidecarStandIn sidecar = null!;
    private WebApplication backend = null!;
    private Uri backendAddress = null!;

    public async Task InitializeAsync()
    {
        sidecar = await DaprSidecarStandIn.StartAsync();
        (backend, backendAddress) = await StartBackendAsync();
    }

    public async Task DisposeAsync()
    {
        await sidecar.DisposeAsync();
        await backend.DisposeAsync();
    }

    [Fact]
    public async Task A_request_reaches_its_service_through_the_sidecar_under_the_cluster_id()
    {
        sidecar.MapApp("activities", backendAddress);
        await using var gateway = Gateway(Settings(dapr: true));
        using var client = Client(gateway);

        var echoed = await client.GetAsync<JsonElement>("/api/v1/activities/calendar?under=321324104");

        Assert.Equal("/api/v1/activities/calendar", echoed.GetProperty("path").GetString());
        Assert.Equal("?under=321324104", echoed.GetProperty("query").GetString());
        Assert.StartsWith("Bearer ", echoed.GetProperty("authorization").GetString());
        Assert.Contains(sidecar.Requests, r => r.AppId == "activities" && r.Path == "/v1.0/invoke/activities/method/api/v1/activities/calendar");
    }

    [Fact]
    public async Task Every_cluster_is_invoked_under_its_own_app_id_or_the_one_configured_for_it()
    {
        sidecar.MapApp("activities-b", backendAddress);
        sidecar.MapApp("grid-cell-a", backendAddress);
        var settings = Settings(dapr: true);
        // A second cell of activities, as the cell router adds them: a cluster of its own (here with a route of its own).
        settings["ReverseProxy:Clusters:activities-b:Destinations:primary:Address"] = Nowhere.ToString();
        settings["ReverseProxy:Routes:activities-b:ClusterId"] = "activities-b";
        settings["ReverseProxy:Routes:activities-b:Match:Path"] = "/cell-b/api/v1/activities/{**rest}";
        settings["ReverseProxy:Routes:activities-b:AuthorizationPolicy"] = "authenticated";
        settings["Dapr:AppId:grid"] = "grid-cell-a";
        await using var gateway = Gateway(settings);
        using var client = Client(gateway);

        Assert.Equal("/cell-b/api/v1/activities/1", (await client.GetAsync<JsonElement>("/cell-b/api/v1/activities/1")).GetProperty("path").GetString());
        Assert.Equal("/api/v1/grid/cases", (await client.GetAsync<JsonElement>("/api/v1/grid/cases")).GetProperty("path").GetString());

        Assert.Contains(sidecar.Requests, r => r.AppId == "activities-b" && r.Path.EndsWith("/method/cell-b/api/v1/activities/1", StringComparison.Ordinal));
        Assert.Contains(sidecar.Requests, r => r.AppId == "grid-cell-a" && r.Path.EndsWith("/method/api/v1/grid/cases", StringComparison.Ordinal));
        Assert.DoesNotContain(sidecar.Requests, r => r.AppId == "grid");
    }

    [Fact]
    public async Task A_service_the_sidecar_cannot_reach_is_a_503_with_Retry_After_not_the_sidecars_500()
    {
        sidecar.MapApp("activities", backendAddress);
        await using var gateway = Gateway(Settings(dapr: true));
        using var client = Client(gateway);

        // No "volunteers" app on the mesh: the sidecar answers 500 ERR_DIRECT_INVOKE itself.
        using var response = await client.GetAsync("/api/v1/volunteers/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
        Assert.True(response.Headers.Contains("X-Correlation-Id"), "the gateway's correlation id is missing");
        Assert.Contains(sidecar.Requests, r => r.AppId == "volunteers");
        // Other services are unaffected.
        Assert.Equal("/api/v1/activities/x", (await client.GetAsync<JsonElement>("/api/v1/activities/x")).GetProperty("path").GetString());
    }

    [Fact]
    public async Task Without_Dapr_the_gateway_goes_to_the_configured_addresses_and_calls_no_sidecar()
    {
        var settings = Settings(dapr: false);
        foreach (var cluster in Clusters)
        {
            settings[$"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address"] = backendAddress.ToString();
        }
        await using var gateway = Gateway(settings);
        using var client = Client(gateway);

        Assert.Equal("/api/v1/stations/x", (await client.GetAsync<JsonElement>("/api/v1/stations/x")).GetProperty("path").GetString());
        Assert.Empty(sidecar.Requests);
        Assert.Null(gateway.Services.GetService<ServiceDefaults.Dapr.DaprOptions>());
    }

    [Fact]
    public async Task Settings_named_in_Dapr_Secrets_are_read_from_the_secret_store_at_start()
    {
        sidecar.AddSecret("secretstore", "gateway-cors", new() { ["origin"] = "https://partner.example" });
        sidecar.AddSecret("secretstore", "redis", new() { ["redis"] = "" });
        var settings = Settings(dapr: true);
        settings["Dapr:SecretStore"] = "secretstore";
        settings["Dapr:Secrets:Gateway:Cors:AllowedOrigins:0"] = "gateway-cors/origin";
        // A secret with one value needs no key.
        settings["Dapr:Secrets:ConnectionStrings:redis"] = "redis";
        await using var gateway = Gateway(settings);
        using var client = Client(gateway);

        Assert.Equal("https://partner.example", gateway.Services.GetRequiredService<IConfiguration>()["Gateway:Cors:AllowedOrigins:0"]);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/stations");
        preflight.Headers.Add("Origin", "https://partner.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var allowed = await client.SendAsync(preflight);
        Assert.Equal("https://partner.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(sidecar.Requests, r => r.Path == "/v1.0/healthz/outbound");
        Assert.Contains(sidecar.Requests, r => r.Path == "/v1.0/secrets/secretstore/gateway-cors");
    }

    [Fact]
    public void A_secret_the_store_does_not_hold_fails_the_start()
    {
        var settings = Settings(dapr: true);
        settings["Dapr:SecretStore"] = "secretstore";
        settings["Dapr:Secrets:ConnectionStrings:redis"] = "no-such-secret";

        var failure = Assert.ThrowsAny<Exception>(() => Gateway(settings));
        Assert.Contains("no-such-secret", failure.ToString());
    }

    private Dictionary<string, string?> Settings(bool dapr)
    {
        var settings = Clusters.ToDictionary(c => $"ReverseProxy:Clusters:{c}:Destinations:primary:Address", _ => (string?)Nowhere.ToString());
        settings["ConnectionStrings:redis"] = "";
        settings["Gateway:RedisKeyPrefix"] = $"practicemesh-test:{Guid.NewGuid():N}:";
        settings["Dapr:Enabled"] = dapr ? "true" : "false";
        settings["Dapr:HttpEndpoint"] = sidecar.Address.ToString();
        return settings;
    }

    private static WebApplicationFactory<GatewayMarker> Gateway(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new WebApplicationFactory<GatewayMarker>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureTestServices(TestTokens.TrustTestIssuer);
        });
        _ = factory.Server;
        return factory;
    }

    private static HttpClient Client(WebApplicationFactory<GatewayMarker> gateway) =>
        gateway.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324"));

    /// <summary>A service stand-in on a real socket: healthy, and answering every other path with what it received.</summary>
    private static async Task<(WebApplication App, Uri Address)> StartBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => context.Request.Path == "/health/ready"
            ? context.Response.WriteAsync("Healthy")
            : context.Response.WriteAsJsonAsync(new
            {
                path = context.Request.Path.Value,
                query = context.Request.QueryString.Value,
                authorization = context.Request.Headers.Authorization.ToString(),
            }));
        await app.StartAsync();
        var bound = app.Urls.Single();
        return (app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }
}
