using System.Net;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeploymentCollection
{
    public const string Name = "published hosts";
}

/// <summary>
/// deploy/k8s proved by running it: each Deployment's published host started with the environment the small-county
/// overlay, rendered as kubectl renders it, gives its pod must answer its probes on its container port. Rendering the manifests proves nothing of the sort: a setting
/// in a shipped appsettings.json can override the environment, and only a running host shows it.
/// </summary>
[Collection(DeploymentCollection.Name)]
public class KubernetesDeploymentTests
{
    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load("overlays/small-county");

    [Fact]
    public void Every_Service_reaches_the_container_port_of_the_one_deployment_it_selects()
    {
        Assert.Equal(8, Manifests.Containers.Count);
        foreach (var service in Manifests.Services.Values)
        {
            var selected = Manifests.Containers.Where(c => service.Selector.All(s => c.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();
            if (selected.Count == 0)
            {
                // A server's Service (redis): it selects the pods of its StatefulSet.
                Assert.Contains(Manifests.OtherWorkloads, labels => service.Selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value));
                continue;
            }
            var container = Assert.Single(selected);
            Assert.True(container.Ports.ContainsKey(service.TargetPort), $"Service {service.Name} targets port '{service.TargetPort}', which {container.Deployment} does not name.");
            Assert.Equal($"practicemesh/{container.Deployment}", container.Image);
        }
        Assert.All(Manifests.Containers, c => Assert.Contains(c.Deployment, Manifests.Services.Keys));
    }

    [Fact]
    public async Task Every_published_host_answers_its_probes_on_its_container_port_with_exactly_the_environment_of_its_pod()
    {
        await using var cluster = new LocalCluster(Manifests);
        var deployments = Manifests.Containers.Select(c => c.Deployment).ToList();
        var environments = new Dictionary<string, Dictionary<string, string>>();
        foreach (var deployment in deployments)
        {
            environments[deployment] = await cluster.EnvironmentOfAsync(deployment);
        }
        // Published in parallel (a few at a time), then all started at once, as a rollout would.
        await Task.WhenAll(deployments.Select(PublishedHosts.DirectoryOfAsync));
        foreach (var deployment in deployments)
        {
            await cluster.StartAsync(deployment, environments[deployment]);
        }

        await Task.WhenAll(cluster.Processes.Select(process => AnswersItsProbesAsync(process, Manifests.Container(process.Name))));

        // Through the gateway as the manifests wire it: discovery from identity names the gateway's own address, the one
        // the client used, for the token endpoint and the keys; an API call without a token is refused by the gateway.
        using var http = new HttpClient { BaseAddress = cluster.AddressOf("gateway"), Timeout = TimeSpan.FromSeconds(30) };
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration"));
        Assert.Equal(Manifests.ConfigMaps["practicemesh-auth"]["Auth__Issuer"], discovery.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(cluster.AddressOf("gateway"), "connect/token").ToString(), discovery.RootElement.GetProperty("token_endpoint").GetString());
        Assert.StartsWith(cluster.AddressOf("gateway").ToString(), discovery.RootElement.GetProperty("jwks_uri").GetString());
        using var anonymous = await http.GetAsync("/api/v1/stations?under=321324");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The web console, on its own and through the gateway's route "console": its page sends a stranger to sign in,
        // and the published host serves the framework's script from its wwwroot.
        foreach (var console in new[] { cluster.AddressOf("console"), cluster.AddressOf("gateway") })
        {
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console, Timeout = TimeSpan.FromSeconds(30) };
            using var home = await browser.GetAsync("/");
            Assert.True(home.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found,
                $"GET / at {console} answered {(int)home.StatusCode}: {await home.Content.ReadAsStringAsync()}");
            if (home.StatusCode != HttpStatusCode.OK)
            {
                Assert.StartsWith("/account/signin", home.Headers.Location!.OriginalString.Replace(console.ToString(), "/", StringComparison.Ordinal));
            }
            using var script = await browser.GetAsync("/_framework/blazor.web.js");
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"/_framework/blazor.web.js at {console} answered {(int)script.StatusCode}");
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_gateway_refuses_to_start_in_Production_when_it_trusts_no_ingress()
    {
        await using var cluster = new LocalCluster(Manifests);
        var environment = await cluster.EnvironmentOfAsync("gateway");
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        // The manifest's ingress ranges removed, as an operator's patch or a hand-made Deployment might leave them.
        foreach (var key in environment.Keys.Where(k => k.StartsWith("Gateway__ForwardedHeaders__KnownNetworks__", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        var gateway = await cluster.StartAsync("gateway", environment, logName: "gateway-trusting-no-ingress");

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(exitCode is not null and not 0, $"The gateway did not refuse to start:\n{gateway.Tail()}");
        Assert.Contains("Gateway:ForwardedHeaders:KnownNetworks is empty", gateway.Tail(80));
    }

    /// <summary>
    /// The startup probe's path within the manifest's own allowance (or more: see below), then liveness and
    /// readiness; each asked on the port that stands in for the container port.
    /// </summary>
    private static async Task AnswersItsProbesAsync(ServiceProcess process, ContainerSpec container)
    {
        var startup = container.Probes.Single(p => p.Kind == "startupProbe");
        // Seven hosts migrating seven databases at once take minutes on a small, busy machine; a pod gets 3 minutes.
        var allowance = TimeSpan.FromSeconds(Math.Max(startup.PeriodSeconds * startup.FailureThreshold, 420));
        await process.WaitUntilAnswersAsync(startup.Path, allowance);
        foreach (var probe in container.Probes.Where(p => p.Kind != "startupProbe"))
        {
            await process.WaitUntilAnswersAsync(probe.Path, TimeSpan.FromMinutes(2));
        }
    }
}
