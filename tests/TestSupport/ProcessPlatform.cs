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

    /// <summary>The name of the second township cell (实践所 cell) <see cref="SecondCells"/> start.</summary>
    public const string SecondCell = "b";

    /// <summary>The services that run here: activities and grid, the two whose load grows with the townships.</summary>
    public static readonly IReadOnlyList<string> CellServices = ["activities", "grid"];

    /// <summary>
    /// Services (of <see cref="CellServices"/>) also run as a second township cell: a process named
    /// <c>{service}-b</c> with a database of its own, its queues named apart (<c>Messaging__Cell=b</c>), and the
    /// gateway's cluster <c>{service}-b</c> pointing at it. Which townships it serves is <see cref="CellsTable"/>'s.
    /// </summary>
    public IReadOnlyList<string> SecondCells { get; init; } = [];

    /// <summary>
    /// The gateway's routing table of townships to cells (the JSON document of <c>Gateway:Cells:File</c>), written to a
    /// file the gateway reads; null: no table, everything goes to each service's one cluster as without cells.
    /// </summary>
    public string? CellsTable { get; init; }

    /// <summary>
    /// Also runs the web console (console/Host) behind the gateway, as distributed mode deploys it: the gateway's
    /// cluster <c>console</c> points at it, and identity accepts its redirect URIs under the gateway's address.
    /// </summary>
    public bool WithConsole { get; init; }

    /// <summary>The second cell's process, cluster and database name of <paramref name="service"/> (e.g. "activities-b").</summary>
    public static string CellOf(string service) => $"{service}-{SecondCell}";

    private readonly string _cellsDirectory = Path.Combine(Path.GetTempPath(), $"practicemesh-cells-{Guid.NewGuid():N}");

    /// <summary>The file the gateway reads its routing table from (<c>Gateway__Cells__File</c>).</summary>
    public string CellsFile => Path.Combine(_cellsDirectory, "cells.json");

    /// <summary>Replaces the gateway's routing table; the gateway picks the change up without a restart.</summary>
    public void WriteCellsTable(string json)
    {
        // Written beside and moved in, so the gateway never reads half a table.
        Directory.CreateDirectory(_cellsDirectory);
        var next = CellsFile + ".next";
        File.WriteAllText(next, json);
        File.Move(next, CellsFile, overwrite: true);
    }

    private Dictionary<string, string>? _gatewayEnvironment;

    /// <summary>
    /// Another gateway in front of the same processes, with the platform gateway's environment changed by
    /// <paramref name="changes"/> (a null value removes a setting): e.g. without the routing table, to compare a
    /// gateway of one cell with one of two. It stops with the platform.
    /// </summary>
    public async Task<ServiceProcess> StartGatewayAsync(string name, IReadOnlyDictionary<string, string?> changes)
    {
        var environment = new Dictionary<string, string>(_gatewayEnvironment ?? throw new InvalidOperationException("The platform has not started."));
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }
        var gateway = ServiceProcess.Start(name, "gateway", "PracticeMesh.Gateway", environment);
        _processes.Add(gateway);
        await gateway.WaitUntilReadyAsync(ReadyTimeout);
        return gateway;
    }

    /// <summary>Kills one process (a service, a cell such as "activities-b", or the gateway) as a crash would.</summary>
    public Task StopProcessAsync(string name) => Process(name).KillAsync();

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

    /// <summary>The database of a service or of a second cell ("activities-b").</summary>
    public string DatabaseOf(string service) => $"{databasePrefix}_{_run}_{service.Replace('-', '_')}";

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
        if (SecondCells.Except(CellServices).ToList() is { Count: > 0 } notCells)
        {
            throw new InvalidOperationException($"Only {string.Join(" and ", CellServices)} run as cells, not {string.Join(", ", notCells)}.");
        }
        // One county's QR signing key: a code shown in one township cell reads the same in every cell.
        var qrSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var virtualHost = $"{databasePrefix}_{_run}";
        var rabbitMq = await RealServers.CreateRabbitMqVirtualHostAsync(virtualHost);
        _createdVirtualHost = virtualHost;
        // A broker named by PRACTICEMESH_TEST_RABBITMQ is used with the virtual host its address names.
        var path = Uri.UnescapeDataString(new Uri(rabbitMq).AbsolutePath.TrimStart('/'));
        _virtualHost = path.Length == 0 ? "/" : path;
        var processes = services.Select(service => (Process: service, Service: service, Cell: (string?)null))
            .Concat(SecondCells.Where(services.Contains).Select(service => (Process: CellOf(service), Service: service, Cell: (string?)SecondCell)));
        foreach (var (processName, service, cell) in processes)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            var environment = new Dictionary<string, string>(auth)
            {
                ["Database__Provider"] = "Postgres",
                [$"ConnectionStrings__{service}"] = RealServers.PostgresDatabase(DatabaseOf(processName)),
                ["Messaging__Transport"] = "RabbitMq",
                ["ConnectionStrings__rabbitmq"] = rabbitMq,
                ["ConnectionStrings__redis"] = RealServers.Redis,
                // Cache entries of this run only: another run's cached answers come from another database.
                ["Cache__RedisKeyPrefix"] = $"practicemesh:{databasePrefix}:{_run}:{processName}:",
            };
            if (cell is not null)
            {
                environment["Messaging__Cell"] = cell;
            }
            switch (service)
            {
                case "volunteers":
                    environment["Volunteers__DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    break;
                case "activities":
                    environment["Activities__QrSigningKey"] = qrSigningKey;
                    break;
                case "grid" or "assessment":
                    // Both grid cells follow the one grid clock a test moves.
                    environment["Testing__ClockOffsetFile"] = ClockOffsetFile(service);
                    break;
                case "identity":
                    environment["Identity__SigningKey"] = signingKey.ExportPkcs8PrivateKeyPem();
                    environment["Identity__AllowHttp"] = "true";
                    environment["Identity__SeedDemo"] = "true";
                    if (WithConsole)
                    {
                        environment["Identity__Console__RedirectUris__0"] = new Uri(gatewayAddress, "signin-oidc").ToString();
                        environment["Identity__Console__PostLogoutRedirectUris__0"] = new Uri(gatewayAddress, "signout-callback-oidc").ToString();
                        environment["Identity__Console__PostLogoutRedirectUris__1"] = gatewayAddress.ToString();
                    }
                    break;
            }
            ConfigureService?.Invoke(service, environment);
            var process = ServiceProcess.Start(processName, $"services/{name}", $"PracticeMesh.{name}", environment,
                service == "identity" ? identityAddress : null);
            _processes.Add(process);
            // The primary cell is the service's own cluster; a second cell is the cluster named after it.
            gatewayEnvironment[$"ReverseProxy__Clusters__{processName}__Destinations__primary__Address"] = process.Address.ToString();
        }
        if (WithConsole)
        {
            // Signs people in at the gateway's address and calls the API through it, as in a cluster.
            var console = ServiceProcess.Start("console", "console/Host", "PracticeMesh.WebConsole.Host", new Dictionary<string, string>(auth)
            {
                ["Console__ApiBaseAddress"] = gatewayAddress.ToString(),
                ["ConnectionStrings__redis"] = RealServers.Redis,
                ["Cache__RedisKeyPrefix"] = $"practicemesh:{databasePrefix}:{_run}:console:",
            });
            _processes.Add(console);
            gatewayEnvironment["ReverseProxy__Clusters__console__Destinations__primary__Address"] = console.Address.ToString();
        }
        if (CellsTable is not null)
        {
            WriteCellsTable(CellsTable);
            gatewayEnvironment["Gateway__Cells__File"] = CellsFile;
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
        _gatewayEnvironment = gatewayEnvironment;
        _processes.Add(ServiceProcess.Start("gateway", "gateway", "PracticeMesh.Gateway", gatewayEnvironment, gatewayAddress));
        await Gateway.WaitUntilReadyAsync(ReadyTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        foreach (var service in services.Concat(SecondCells.Where(services.Contains).Select(CellOf)))
        {
            await RealServers.DropDatabaseAsync(DatabaseOf(service));
        }
        if (_createdVirtualHost is not null)
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(_createdVirtualHost);
        }
        foreach (var directory in new[] { _clockDirectory, _cellsDirectory }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
