using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>
/// With Dapr off a host does not load any Dapr assembly at all (its own Dapr wiring included), checked on the built
/// gateway running as its own process: the test process itself has loaded them for the other tests.
/// </summary>
public sealed class DaprOffLoadsNothingTests
{
    [Fact]
    public async Task The_gateway_loads_a_Dapr_assembly_only_when_Dapr_is_on()
    {
        Assert.DoesNotContain(await LoadedAsync(dapr: false), name => name.Contains("Dapr", StringComparison.OrdinalIgnoreCase));
        // The same look sees the gateway's Dapr wiring once it is on.
        Assert.Contains("PracticeMesh.ServiceDefaults.Dapr.dll", await LoadedAsync(dapr: true));
    }

    /// <summary>The assemblies the gateway process has mapped after it answered its probe and proxied a request.</summary>
    private static async Task<IReadOnlySet<string>> LoadedAsync(bool dapr)
    {
        await using var sidecar = await DaprSidecarStandIn.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["Dapr__Enabled"] = dapr ? "true" : "false",
            ["Dapr__HttpEndpoint"] = sidecar.Address.ToString(),
            ["Auth__Issuer"] = "http://127.0.0.1:9/",
            ["Auth__RequireHttpsMetadata"] = "false",
            ["ConnectionStrings__redis"] = "",
            ["Gateway__ForwardedHeaders__KnownNetworks__0"] = "127.0.0.0/8",
        };
        await using var gateway = ServiceProcess.Start($"gateway-dapr-{(dapr ? "on" : "off")}", "gateway", "PracticeMesh.Gateway", environment);
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using (var client = new HttpClient { BaseAddress = gateway.Address })
        {
            // An anonymous route, proxied (to nowhere that answers): the request path's code has run too.
            using var _ = await client.GetAsync("/api/v1/activities/menu");
        }
        var maps = await File.ReadAllLinesAsync($"/proc/{gateway.ProcessId}/maps");
        return maps.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
