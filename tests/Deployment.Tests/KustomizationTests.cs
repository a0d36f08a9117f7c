using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// Every kustomization of deploy/k8s, rendered as <c>kubectl apply -k</c> renders it, checked for what a cluster or a
/// service would refuse or silently ignore: fields the API does not have, probes on paths nobody serves, pods without
/// limits or running as root, settings no code reads, settings a service needs that an overlay leaves out.
/// </summary>
public sealed partial class KustomizationTests
{
    public static TheoryData<string> Kustomizations() => [.. Kustomize.All()];

    public static TheoryData<string> Deployables() => [.. Kustomize.Deployable()];

    [Fact]
    public void The_base_and_the_four_overlays_are_there_to_apply()
    {
        Assert.Equal(["base", "overlays/cell", "overlays/dapr", "overlays/production", "overlays/small-county"], Kustomize.Deployable());
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_kustomization_renders_and_every_object_reads_strictly_into_its_model(string kustomization)
    {
        var objects = Kustomize.Load(kustomization);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
        // Every object lands in a namespace of PracticeMesh's (kubectl apply -k without -n puts nothing in default).
        if (kustomization == "base" || kustomization.StartsWith("overlays/", StringComparison.Ordinal) && !kustomization.Contains("/cell-", StringComparison.Ordinal))
        {
            Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace),
                o => Assert.StartsWith("practicemesh", o.Metadata.NamespaceProperty));
        }
    }

    [Fact]
    public void Strict_reading_refuses_a_field_the_API_does_not_have()
    {
        const string Valid = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              replicas: 2
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                  - name: app
                    image: practicemesh/x
            """;
        Assert.Single(KubernetesYaml.LoadAllFromString(Valid, Kustomize.TypeMap, strict: true));
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(Valid.Replace("replicas:", "replica:"), Kustomize.TypeMap, strict: true));
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(
            "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: x}\nspec:\n  instances: 1\n  bootstrap:\n    initdb: {database: x, ownr: x}\n",
            Kustomize.TypeMap, strict: true));
    }

    [Theory]
    [MemberData(nameof(Deployables))]
    public void Every_Deployment_probes_paths_its_service_serves_has_requests_and_limits_and_runs_as_non_root_on_a_read_only_root(string kustomization)
    {
        foreach (var deployment in Kustomize.Load(kustomization).OfType<V1Deployment>())
        {
            var name = deployment.Metadata.Name;
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            var served = ServedPaths(ProjectOfImage(container.Image).File);
            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
            {
                Assert.True(probe?.HttpGet is not null, $"{kustomization}: {name} lacks a startup, liveness or readiness HTTP probe.");
                Assert.True(served.Contains(probe.HttpGet.Path), $"{kustomization}: {name} probes {probe.HttpGet.Path}, which its service does not map.");
                Assert.Contains(container.Ports, p => p.Name == probe.HttpGet.Port.Value && p.ContainerPort == 8080);
            }
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{kustomization}: {name} requests no {resource}.");
                Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{kustomization}: {name} has no {resource} limit.");
            }
            Assert.True(pod.SecurityContext?.RunAsNonRoot == true, $"{kustomization}: {name} may run as root.");
            // The images' app user (deploy/images): a user the image does not know would have no home and no rights.
            Assert.Equal(1654, pod.SecurityContext.RunAsUser);
            Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{kustomization}: {name}'s root filesystem is writable.");
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation ?? true, $"{kustomization}: {name} may escalate privileges.");
            Assert.Contains("ALL", container.SecurityContext.Capabilities?.Drop ?? []);
            // .NET writes to /tmp (diagnostics, temporary files): an emptyDir, as the root is read-only.
            var tmp = Assert.Single(container.VolumeMounts ?? [], m => m.MountPath == "/tmp");
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);
        }
    }

    [Theory]
    [MemberData(nameof(Deployables))]
    public void Every_environment_variable_a_manifest_sets_is_a_key_its_service_reads(string kustomization)
    {
        var manifests = KubernetesManifests.Load(kustomization);
        var unread = new List<string>();
        foreach (var container in manifests.Containers)
        {
            var readers = ReadersOf(container.Image);
            foreach (var key in KeysSetFor(manifests, container))
            {
                Assert.False(key.StartsWith("Testing__", StringComparison.Ordinal), $"{kustomization}: {container.Deployment} sets the test-only {key}.");
                if (!readers.Reads(key))
                {
                    unread.Add($"{container.Deployment}: {key}");
                }
            }
        }
        Assert.True(unread.Count == 0, $"{kustomization} sets keys that {string.Join(", ", unread.Select(u => u.Split(':')[0]).Distinct())} never read:\n{string.Join("\n", unread)}");
    }

    [Fact]
    public void The_key_check_knows_a_read_key_from_a_misspelt_or_foreign_one()
    {
        var activities = ReadersOf("practicemesh/activities");
        var gateway = ReadersOf("practicemesh/gateway");
        var identity = ReadersOf("practicemesh/identity");

        Assert.True(activities.Reads("Auth__Issuer"));
        Assert.True(activities.Reads("Activities__RecordsDirectory"));
        Assert.True(activities.Reads("ConnectionStrings__activities"));
        Assert.True(activities.Reads("Database__Provider"));
        Assert.True(activities.Reads("Messaging__Transport"));
        Assert.True(gateway.Reads("Gateway__ForwardedHeaders__KnownNetworks__0"));
        Assert.True(gateway.Reads("ReverseProxy__Clusters__activities__Destinations__primary__Address"));
        Assert.True(identity.Reads("Identity__ForwardedHeaders__KnownNetworks__2"));

        Assert.False(activities.Reads("Auth__Isuer"));
        Assert.False(activities.Reads("Activities__RecordDirectory"));
        Assert.False(activities.Reads("ConnectionStrings__stations"));
        Assert.False(activities.Reads("Volunteers__DataKey"));
        Assert.False(gateway.Reads("Gateway__ForwardedHeaders__KnownNetwork__0"));
        Assert.False(gateway.Reads("Gateway__ForwardedHeaders__KnownNetworks"));
        Assert.False(gateway.Reads("Activities__RecordsDirectory"));
    }

    /// <summary>
    /// The small county's pods are started with exactly their environment (KubernetesDeploymentTests): those keys are
    /// what each service needs in Production. Every other overlay's copy of a service, a township cell's included,
    /// must set at least the same ones.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables))]
    public void Every_overlay_sets_every_key_its_services_need_in_Production(string kustomization)
    {
        var running = KubernetesManifests.Load("overlays/small-county");
        var manifests = KubernetesManifests.Load(kustomization);
        foreach (var container in manifests.Containers)
        {
            var proven = running.Containers.Single(c => c.Image == container.Image);
            var missing = KeysSetFor(running, proven).Except(KeysSetFor(manifests, container)).ToList();
            Assert.True(missing.Count == 0, $"{kustomization}: {container.Deployment} lacks {string.Join(", ", missing)}, which {proven.Deployment} needs in Production.");
            Assert.Equal("Production", manifests.EnvironmentOf(container, (_, _) => "")["ASPNETCORE_ENVIRONMENT"]);
            // Each $(NAME) is defined before the value that uses it, or the kubelet passes it on literally.
            var defined = new HashSet<string>(manifests.EnvironmentOf(container, (_, _) => "").Keys.Except(container.Environment.Select(e => e.Name)), StringComparer.Ordinal);
            foreach (var entry in container.Environment)
            {
                foreach (var reference in KubernetesManifests.References(entry.Value ?? ""))
                {
                    Assert.True(defined.Contains(reference), $"{kustomization}: {container.Deployment}'s {entry.Name} uses $({reference}) before it is defined.");
                }
                defined.Add(entry.Name);
            }
        }
    }

    /// <summary>
    /// Every Secret a pod or a Dapr component of an overlay reads exists once the overlay is applied: made by an operator
    /// of the overlay (a CloudNativePG cluster's &lt;name&gt;-app, a RabbitMQ cluster's &lt;name&gt;-default-user), or
    /// one the operator is told to create, key by key (practicemesh-secrets in base/kustomization.yaml, a cell's own in
    /// its kustomization.yaml). A pod reading a Secret nobody makes never starts.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables))]
    public void Every_Secret_a_pod_reads_is_made_by_an_operator_of_the_overlay_or_created_by_the_steps_it_names(string kustomization)
    {
        var objects = Kustomize.Load(kustomization);
        var manifests = KubernetesManifests.Load(kustomization);
        var instructions = File.ReadAllText(Path.Combine(Kustomize.Root, "base", "kustomization.yaml"))
            + File.ReadAllText(Path.Combine(Kustomize.Root, kustomization, "kustomization.yaml"));
        var references = manifests.Containers.SelectMany(c => c.Environment.Where(e => e.SecretName is not null).Select(e => (Reader: c.Deployment, Name: e.SecretName!, Key: e.SecretKey!)))
            .Concat(objects.OfType<DaprComponent>().SelectMany(c => (c.Spec?.Metadata ?? []).Where(m => m.SecretKeyRef is not null)
                .Select(m => (Reader: $"Dapr component {c.Metadata.Name}", Name: m.SecretKeyRef!.Name!, Key: m.SecretKeyRef.Key!))));
        foreach (var (reader, name, key) in references)
        {
            var made = (manifests.PostgresClusters.Any(c => name == $"{c}-app") && key is "username" or "password")
                || (manifests.RabbitmqClusters.Any(c => name == $"{c}-default-user") && key is "username" or "password")
                || (name == "practicemesh-secrets" && Regex.IsMatch(instructions, $@"--from-(literal|file)={Regex.Escape(key)}="))
                || (name != "practicemesh-secrets" && instructions.Contains(name, StringComparison.Ordinal) && Regex.IsMatch(instructions, $@"\b{Regex.Escape(key)}\b"));
            Assert.True(made, $"{kustomization}: {reader} reads Secret {name}, key {key}, which nothing makes and no step tells the operator to create.");
        }
    }

    /// <summary>
    /// The gateway's clusters as an overlay wires them: each address names a Service of the overlay on its port, each
    /// extra cluster is a township cell of activities or grid, and the cells table names only clusters the gateway has,
    /// one cell per township.
    /// </summary>
    [Theory]
    [MemberData(nameof(Deployables))]
    public void The_gateway_reaches_every_cluster_and_cell_it_is_given(string kustomization)
    {
        var manifests = KubernetesManifests.Load(kustomization);
        if (!manifests.Containers.Any(c => c.Deployment == "gateway"))
        {
            return;
        }
        var environment = manifests.EnvironmentOf(manifests.Container("gateway"), (_, _) => "");
        var clusters = new HashSet<string>(GatewayClusters.Keys, StringComparer.Ordinal);
        foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("ReverseProxy__Clusters__", StringComparison.Ordinal)))
        {
            var match = ClusterAddressKey().Match(key);
            Assert.True(match.Success, $"{kustomization}: {key} is not a cluster's destination address.");
            var cluster = match.Groups["cluster"].Value;
            Assert.True(GatewayClusters.ContainsKey(cluster) || CellCluster().IsMatch(cluster),
                $"{kustomization}: cluster {cluster} is neither one of the gateway's nor a township cell (activities-<cell>, grid-<cell>).");
            var address = new Uri(value);
            Assert.True(manifests.Services.TryGetValue(address.Host, out var service) && service.Port == address.Port,
                $"{kustomization}: cluster {cluster} forwards to {value}, which no Service of the overlay answers.");
            clusters.Add(cluster);
        }
        var cellsFile = environment["Gateway__Cells__File"];
        var mount = Assert.Single(manifests.Container("gateway").Volumes, v => cellsFile.StartsWith(v.MountPath + "/", StringComparison.Ordinal));
        var table = manifests.ConfigMaps[mount.ConfigMap!][cellsFile[(mount.MountPath.Length + 1)..]];
        AssertCellsTable(kustomization, table, clusters);
    }

    /// <summary>The cells table's shape (docs/architecture.md): every cell a cluster, every township in one cell.</summary>
    internal static void AssertCellsTable(string source, string table, IReadOnlySet<string> clusters)
    {
        using var document = JsonDocument.Parse(table);
        foreach (var service in document.RootElement.GetProperty("services").EnumerateObject())
        {
            var primary = service.Value.GetProperty("primary").GetString()!;
            Assert.True(clusters.Contains(primary), $"{source}: {service.Name}'s primary cell {primary} is not a cluster of the gateway.");
            var townships = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cell in service.Value.GetProperty("cells").EnumerateObject())
            {
                Assert.True(clusters.Contains(cell.Name), $"{source}: cell {cell.Name} of {service.Name} is not a cluster of the gateway.");
                Assert.True(cell.Name == service.Name || cell.Name.StartsWith(service.Name + "-", StringComparison.Ordinal), $"{source}: cell {cell.Name} is not one of {service.Name}'s.");
                foreach (var township in cell.Value.EnumerateArray().Select(t => t.GetString()!))
                {
                    Assert.Matches("^[0-9]{9}$", township);
                    Assert.True(townships.Add(township), $"{source}: township {township} is in two cells of {service.Name}.");
                }
            }
        }
    }

    /// <summary>Every key a container's environment sets, but the variables that only build another value ($(NAME)).</summary>
    private static IReadOnlyList<string> KeysSetFor(KubernetesManifests manifests, ContainerSpec container)
    {
        var keys = manifests.EnvironmentOf(container, (_, _) => "").Keys.ToList();
        var building = container.Environment.SelectMany(e => KubernetesManifests.References(e.Value ?? "")).ToHashSet(StringComparer.Ordinal);
        return [.. keys.Where(k => !building.Contains(k))];
    }

    private static readonly Dictionary<string, ConfigurationReaders> Readers = new(StringComparer.Ordinal);

    private static ConfigurationReaders ReadersOf(string image)
    {
        lock (Readers)
        {
            if (!Readers.TryGetValue(image, out var readers))
            {
                Readers[image] = readers = ConfigurationReaders.Of(ProjectOfImage(image).File);
            }
            return readers;
        }
    }

    /// <summary>The project an image is built from: practicemesh/&lt;name&gt; (a cell's deployment runs its service's image).</summary>
    internal static (string Deployment, string File) ProjectOfImage(string image)
    {
        var name = image.Split(':')[0];
        Assert.StartsWith("practicemesh/", name);
        var deployment = name["practicemesh/".Length..];
        var (directory, file, _) = PublishedHosts.ProjectOf(deployment);
        return (deployment, Path.Combine(directory, file));
    }

    /// <summary>The literal paths a host's code maps (endpoints and health checks), in its project and what it references.</summary>
    private static HashSet<string> ServedPaths(string projectFile) =>
    [
        .. ConfigurationReaders.ProjectsOf(Path.Combine(ServiceProcess.RepositoryRoot, projectFile))
            .SelectMany(project => Directory.EnumerateFiles(Path.GetDirectoryName(project)!, "*.cs", SearchOption.AllDirectories))
            .SelectMany(file => MappedPath().Matches(File.ReadAllText(file)).Select(m => m.Groups["path"].Value)),
    ];

    /// <summary>The clusters of gateway/appsettings.json and their local addresses.</summary>
    internal static IReadOnlyDictionary<string, Uri> GatewayClusters { get; } = ReadGatewayClusters();

    private static Dictionary<string, Uri> ReadGatewayClusters()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "gateway", "appsettings.json")));
        return settings.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters").EnumerateObject().ToDictionary(
            c => c.Name,
            c => new Uri(c.Value.GetProperty("Destinations").EnumerateObject().Single().Value.GetProperty("Address").GetString()!),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\bMap\w*\(\s*""(?<path>/[^""]*)""")]
    private static partial Regex MappedPath();

    [GeneratedRegex(@"^ReverseProxy__Clusters__(?<cluster>[a-z0-9-]+)__Destinations__(?<destination>[a-z0-9-]+)__Address$")]
    internal static partial Regex ClusterAddressKey();

    [GeneratedRegex(@"^(activities|grid)-[a-z0-9]+$")]
    private static partial Regex CellCluster();
}
