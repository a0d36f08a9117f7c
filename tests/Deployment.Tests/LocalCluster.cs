using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// The deployments of deploy/k8s as processes on this machine: each published host started with exactly the
/// environment its manifest gives its pod, with three kinds of change, each because one machine is not a cluster:
/// <list type="bullet">
/// <item>Secrets get test values (the cluster's come from the operator, or from the operators of its servers).</item>
/// <item>Each mounted volume is a folder of this run's (a ConfigMap's files written into it), and a setting that names
/// a path under the mount names the same path under that folder.</item>
/// <item>The names of the cluster's servers (postgres, rabbitmq, redis) and of its Services (http://identity:8080/)
/// point at the local servers and processes; each run gets databases and a virtual host of its own, and its own Redis
/// key prefixes, so runs never share state.</item>
/// <item>Every pod listens on container port 8080; processes of one machine cannot, so each gets a free port in its
/// place, after the test has checked that ASPNETCORE_URLS, the container port and the probes all name the same one.</item>
/// </list>
/// </summary>
public sealed partial class LocalCluster(KubernetesManifests manifests) : IAsyncDisposable
{
    private static readonly string[] Wildcards = ["+", "*", "0.0.0.0", "[::]"];

    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly Dictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly List<string> _databases = [];
    private readonly List<ServiceProcess> _processes = [];
    private readonly string _volumes = Path.Combine(Path.GetTempPath(), "practicemesh-volumes", Guid.NewGuid().ToString("N"));
    private string? _virtualHost;
    private string? _rabbitMq;

    public static string PostgresPassword => new NpgsqlConnectionStringBuilder(RealServers.PostgresServer).Password ?? "";

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    /// <summary>Where <paramref name="deployment"/>'s process listens (its container port's stand-in).</summary>
    public Uri AddressOf(string deployment)
    {
        if (!_addresses.TryGetValue(deployment, out var address))
        {
            _addresses[deployment] = address = ServiceProcess.NewAddress();
        }
        return address;
    }

    /// <summary>The container's environment as Kubernetes resolves it, with only the changes listed on this class.</summary>
    public async Task<Dictionary<string, string>> EnvironmentOfAsync(string deployment)
    {
        var container = manifests.Container(deployment);
        var environment = manifests.EnvironmentOf(container, Secret);
        var containerPort = ContainerPortOf(container);
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        var mounts = Mount(container);
        foreach (var (key, manifestValue) in environment)
        {
            var value = mounts.Aggregate(manifestValue, (current, mount) => current.StartsWith(mount.Key, StringComparison.Ordinal)
                ? mount.Value + current[mount.Key.Length..]
                : current);
            Assert.False(value.Contains("$(", StringComparison.Ordinal), $"{deployment}: {key} refers to a variable defined nowhere before it: {value}");
            local[key] = key switch
            {
                "ASPNETCORE_URLS" => ListenAddress(deployment, value, containerPort),
                "ConnectionStrings__rabbitmq" => await RabbitMqAsync(deployment, value),
                "ConnectionStrings__redis" => Redis(deployment, value),
                _ when key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) => Postgres(deployment, value),
                _ => ClusterAddress().Replace(value, match => ServiceAddress(deployment, match)),
            };
        }
        Assert.True(local.ContainsKey("ASPNETCORE_URLS"), $"{deployment} sets no ASPNETCORE_URLS: it would listen on localhost:5000, which no probe reaches.");
        // This run's keys only: the manifests leave the prefixes at their defaults, which one Redis per cluster can afford.
        local[deployment == "gateway" ? "Gateway__RedisKeyPrefix" : "Cache__RedisKeyPrefix"] = $"practicemesh:pm_deploy:{_run}:{deployment}:";
        return local;
    }

    /// <summary>Starts <paramref name="deployment"/>'s published host with <paramref name="environment"/>.</summary>
    /// <param name="logName">Names its log (process-logs/&lt;name&gt;.log) when a test runs a deployment differently.</param>
    public async Task<ServiceProcess> StartAsync(string deployment, IReadOnlyDictionary<string, string> environment, string? logName = null)
    {
        var directory = await PublishedHosts.DirectoryOfAsync(deployment);
        var process = ServiceProcess.StartPublished(logName ?? deployment, directory, PublishedHosts.ProjectOf(deployment).Assembly, environment, AddressOf(deployment));
        _processes.Add(process);
        return process;
    }

    /// <summary>The container port its probes name (by name, as the manifests do, or by number).</summary>
    public static int ContainerPortOf(ContainerSpec container)
    {
        var ports = container.Probes.Select(p => container.Ports.TryGetValue(p.Port, out var named) ? named : int.Parse(p.Port)).Distinct().ToList();
        Assert.True(ports.Count == 1, $"{container.Deployment}'s probes name {ports.Count} different ports.");
        return ports[0];
    }

    /// <summary>The container's volumes as folders of this run: mount path, folder.</summary>
    private Dictionary<string, string> Mount(ContainerSpec container)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in container.Volumes)
        {
            var folder = Path.Combine(_volumes, container.Deployment, volume.MountPath.Trim('/').Replace('/', '_'));
            Directory.CreateDirectory(folder);
            if (volume.ConfigMap is not null)
            {
                foreach (var (file, content) in manifests.ConfigMaps[volume.ConfigMap])
                {
                    File.WriteAllText(Path.Combine(folder, file), content);
                }
            }
            folders[volume.MountPath] = folder;
        }
        return folders;
    }

    private string Secret(string name, string key) => (name, key) switch
    {
        ("practicemesh-secrets", "postgres-password") => PostgresPassword,
        // A CloudNativePG cluster's owner (components/postgres): the local server's role stands in for it.
        (_, "password") when manifests.PostgresClusters.Any(cluster => name == $"{cluster}-app") => PostgresPassword,
        // Unused: the local broker's own user replaces the cluster's (RabbitMqAsync).
        ("practicemesh-secrets", "rabbitmq-password") => "test-rabbitmq-password",
        (_, "username" or "password") when manifests.RabbitmqClusters.Any(cluster => name == $"{cluster}-default-user") => $"test-rabbitmq-{key}",
        ("practicemesh-secrets", "identity-signing-key") => _signingKey.ExportPkcs8PrivateKeyPem(),
        ("practicemesh-secrets", "volunteers-data-key" or "activities-qr-key") => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        _ => throw new InvalidOperationException(
            $"A manifest reads Secret {name}, key {key}, which neither deploy/k8s/base/kustomization.yaml tells the operator to create nor an operator of the overlay makes (and this test cannot fill)."),
    };

    private string ListenAddress(string deployment, string urls, int containerPort)
    {
        var match = UrlsPattern().Match(urls);
        Assert.True(match.Success, $"{deployment}: ASPNETCORE_URLS is '{urls}', not one http address.");
        Assert.True(Wildcards.Contains(match.Groups["host"].Value),
            $"{deployment}: ASPNETCORE_URLS '{urls}' does not listen on every address; the kubelet probes the pod's IP, not loopback.");
        Assert.True(int.Parse(match.Groups["port"].Value) == containerPort,
            $"{deployment}: ASPNETCORE_URLS '{urls}' listens on another port than the container port {containerPort} its probes use.");
        return $"http://{match.Groups["host"].Value}:{AddressOf(deployment).Port}";
    }

    private async Task<string> RabbitMqAsync(string deployment, string value)
    {
        Assert.True(new Uri(value).Host == "rabbitmq", $"{deployment}: RabbitMQ is '{value}', not the cluster's rabbitmq Service.");
        if (_rabbitMq is null)
        {
            _virtualHost = $"pm_deploy_{_run}";
            _rabbitMq = await RealServers.CreateRabbitMqVirtualHostAsync(_virtualHost);
        }
        return _rabbitMq;
    }

    private static string Redis(string deployment, string value)
    {
        Assert.True(value.StartsWith("redis:", StringComparison.Ordinal), $"{deployment}: Redis is '{value}', not the cluster's redis Service.");
        return RealServers.Redis;
    }

    private string Postgres(string deployment, string value)
    {
        var manifest = new NpgsqlConnectionStringBuilder(value);
        Assert.True(manifest.Host == "postgres" || manifests.PostgresClusters.Any(cluster => manifest.Host == $"{cluster}-rw"),
            $"{deployment}: PostgreSQL is '{manifest.Host}', neither the postgres Service nor the primary of a CloudNativePG cluster of the manifests.");
        // The password reached the connection string through $(POSTGRES_PASSWORD) from the Secret.
        Assert.Equal(PostgresPassword, manifest.Password);
        var database = $"pm_deploy_{_run}_{deployment}";
        _databases.Add(database);
        return RealServers.PostgresDatabase(database);
    }

    /// <summary>http://name:port/ of a Service in the manifests becomes the address of the process its selector picks.</summary>
    private string ServiceAddress(string deployment, Match match)
    {
        if (!manifests.Services.TryGetValue(match.Groups["name"].Value, out var service))
        {
            return match.Value;
        }
        Assert.True(int.Parse(match.Groups["port"].Value) == service.Port,
            $"{deployment} calls {match.Value}, but Service {service.Name} listens on {service.Port}.");
        var target = manifests.Containers.Single(c => service.Selector.All(s => c.Labels.TryGetValue(s.Key, out var v) && v == s.Value));
        return $"http://127.0.0.1:{AddressOf(target.Deployment).Port}";
    }

    [GeneratedRegex(@"^http://(?<host>\[[^\]]*\]|[^:/]+):(?<port>\d+)/?$")]
    private static partial Regex UrlsPattern();

    [GeneratedRegex(@"http://(?<name>[a-z0-9-]+):(?<port>\d+)")]
    private static partial Regex ClusterAddress();

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        foreach (var database in _databases.Distinct())
        {
            await RealServers.DropDatabaseAsync(database);
        }
        if (_virtualHost is not null)
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(_virtualHost);
        }
        _signingKey.Dispose();
        if (Directory.Exists(_volumes))
        {
            Directory.Delete(_volumes, recursive: true);
        }
    }
}
