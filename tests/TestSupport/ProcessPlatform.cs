using System.Security.Cryptography;

namespace PracticeMesh.TestSupport;

/// <summary>
/// The distributed mode as production runs it: services and the gateway as separate processes on the real
/// PostgreSQL (a fresh database per service for this run), RabbitMQ and Redis. End-to-end tests and benchmarks
/// start it the same way.
/// </summary>
/// <param name="databasePrefix">Names this run's databases and Redis keys (e.g. "pm_e2e").</param>
/// <param name="services">Which services to run; identity is needed for tokens.</param>
public sealed class ProcessPlatform(string databasePrefix, IReadOnlyList<string> services) : IAsyncDisposable
{
    public static readonly string[] AllServices = ["stations", "volunteers", "activities", "grid", "assessment", "identity"];

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private string? _virtualHost;
    private string? _createdVirtualHost;

    /// <summary>Settings added to (or replacing) a service's environment before it starts: (service, environment).</summary>
    public Action<string, IDictionary<string, string>>? ConfigureService { get; init; }

    /// <summary>
    /// How long each host may take to become ready. Generous: six services migrating six databases at once take
    /// minutes on a small machine busy with other work; a ready platform is waited for no longer than it takes.
    /// </summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Settings added to the gateway's environment, e.g. raised rate limits.</summary>
    public IDictionary<string, string> GatewaySettings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Services => services;

    /// <summary>
    /// The services whose clock a test may move (<c>Testing:ClockOffsetFile</c>): the grid lets time limits run out,
    /// assessment lets a month end so it can be published. Nothing else in the platform moves.
    /// </summary>
    public static readonly IReadOnlyList<string> MovableClocks = ["grid", "assessment"];

    private readonly string _clockDirectory = Path.Combine(Path.GetTempPath(), $"practicemesh-clocks-{Guid.NewGuid():N}");

    private string ClockOffsetFile(string service) => Path.Combine(_clockDirectory, $"{service}.txt");

    /// <summary>Sets <paramref name="service"/>'s clock to the system clock plus <paramref name="offset"/> (read on its next tick).</summary>
    public void MoveClock(string service, TimeSpan offset)
    {
        if (!MovableClocks.Contains(service))
        {
            throw new ArgumentException($"The {service} service's clock does not move in tests.", nameof(service));
        }
        // Written beside and moved in, so the service never reads half a value.
        Directory.CreateDirectory(_clockDirectory);
        var next = ClockOffsetFile(service) + ".next";
        File.WriteAllText(next, offset.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        File.Move(next, ClockOffsetFile(service), overwrite: true);
    }

    /// <summary>Sets the grid service's clock to the system clock plus <paramref name="offset"/>.</summary>
    public void MoveGridClock(TimeSpan offset) => MoveClock("grid", offset);

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess Gateway => Process("gateway");

    public ServiceProcess Process(string name) =>
        _processes.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"{name} did not start.");

    public string DatabaseOf(string service) => $"{databasePrefix}_{_run}_{service}";

    /// <summary>The RabbitMQ virtual host this run's services share (their exchanges and queues are there, not in "/").</summary>
    public string VirtualHost => _virtualHost ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>Each queue of this run's virtual host with its ready and unacknowledged messages.</summary>
    public Task<IReadOnlyDictionary<string, QueueCounts>> QueueCountsAsync() => RealServers.QueueCountsAsync(VirtualHost);

    /// <summary>
    /// Waits until each named queue exists in this run's virtual host and holds no ready or unacknowledged message:
    /// whatever was published to it has been handled.
    /// </summary>
    public Task WaitForQueuesToDrainAsync(params string[] queues) =>
        HttpAssertions.EventuallyAsync(async () =>
        {
            var counts = await QueueCountsAsync();
            return queues.All(queue => counts.TryGetValue(queue, out var count) && count.IsEmpty) ? "drained" : null;
        }, $"the queues {string.Join(", ", queues)} of virtual host {VirtualHost} to drain");

    public HttpClient CreateClient() => new() { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client through the gateway signed in as <paramref name="userName"/> (a demo account unless created).</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword)
    {
        var client = CreateClient();
        return client.WithToken(await PlatformTokens.PasswordAsync(client, userName, password));
    }

    public string Logs => string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Tail(15)}"));

    public async Task StartAsync()
    {
        try
        {
            await StartProcessesAsync();
        }
        catch
        {
            // A fixture whose start fails is not disposed: its processes, databases and virtual host would outlive it.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessesAsync()
    {
        // Tokens are asked for through the gateway, so the gateway's address is the issuer everyone trusts; the
        // services read the keys from the identity service directly.
        var gatewayAddress = ServiceProcess.NewAddress();
        var identityAddress = ServiceProcess.NewAddress();
        using var signingKey = RSA.Create(2048);
        var auth = new Dictionary<string, string>
        {
            ["Auth__Issuer"] = gatewayAddress.ToString(),
            ["Auth__MetadataAddress"] = new Uri(identityAddress, "/.well-known/openid-configuration").ToString(),
            ["Auth__RequireHttpsMetadata"] = "false",
        };
        var gatewayEnvironment = new Dictionary<string, string>(auth);
        var virtualHost = $"{databasePrefix}_{_run}";
        var rabbitMq = await RealServers.CreateRabbitMqVirtualHostAsync(virtualHost);
        _createdVirtualHost = virtualHost;
        // A broker named by PRACTICEMESH_TEST_RABBITMQ is used with the virtual host its address names.
        var path = Uri.UnescapeDataString(new Uri(rabbitMq).AbsolutePath.TrimStart('/'));
        _virtualHost = path.Length == 0 ? "/" : path;
        foreach (var service in services)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            var environment = new Dictionary<string, string>(auth)
            {
                ["Database__Provider"] = "Postgres",
                [$"ConnectionStrings__{service}"] = RealServers.PostgresDatabase(DatabaseOf(service)),
                ["Messaging__Transport"] = "RabbitMq",
                ["ConnectionStrings__rabbitmq"] = rabbitMq,
                ["ConnectionStrings__redis"] = RealServers.Redis,
                // Cache entries of this run only: another run's cached answers come from another database.
                ["Cache__RedisKeyPrefix"] = $"practicemesh:{databasePrefix}:{_run}:{service}:",
            };
            switch (service)
            {
                case "volunteers":
                    environment["Volunteers__DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    break;
                case "activities":
                    environment["Activities__QrSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    break;
                case "grid" or "assessment":
                    environment["Testing__ClockOffsetFile"] = ClockOffsetFile(service);
                    break;
                case "identity":
                    environment["Identity__SigningKey"] = signingKey.ExportPkcs8PrivateKeyPem();
                    environment["Identity__AllowHttp"] = "true";
                    environment["Identity__SeedDemo"] = "true";
                    break;
            }
            ConfigureService?.Invoke(service, environment);
            var process = ServiceProcess.Start(service, $"services/{name}", $"PracticeMesh.{name}", environment,
                service == "identity" ? identityAddress : null);
            _processes.Add(process);
            gatewayEnvironment[$"ReverseProxy__Clusters__{service}__Destinations__primary__Address"] = process.Address.ToString();
        }
        await Task.WhenAll(_processes.Select(p => p.WaitUntilReadyAsync(ReadyTimeout)));
        gatewayEnvironment["ConnectionStrings__redis"] = RealServers.Redis;
        // Counters and stored answers of this run only.
        gatewayEnvironment["Gateway__RedisKeyPrefix"] = $"practicemesh:{databasePrefix}:{_run}:";
        // Loopback is this platform's ingress: a test may send X-Forwarded-For and X-Forwarded-Proto as one would, and
        // the gateway (in Production) refuses to start without the networks it trusts.
        gatewayEnvironment["Gateway__ForwardedHeaders__KnownNetworks__0"] = "127.0.0.0/8";
        foreach (var (key, value) in GatewaySettings)
        {
            gatewayEnvironment[key] = value;
        }
        _processes.Add(ServiceProcess.Start("gateway", "gateway", "PracticeMesh.Gateway", gatewayEnvironment, gatewayAddress));
        await Gateway.WaitUntilReadyAsync(ReadyTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        foreach (var service in services)
        {
            await RealServers.DropDatabaseAsync(DatabaseOf(service));
        }
        if (_createdVirtualHost is not null)
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(_createdVirtualHost);
        }
        if (Directory.Exists(_clockDirectory))
        {
            Directory.Delete(_clockDirectory, recursive: true);
        }
    }
}
