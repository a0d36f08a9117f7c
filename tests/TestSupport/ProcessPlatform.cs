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

    /// <summary>Settings added to (or replacing) a service's environment before it starts: (service, environment).</summary>
    public Action<string, IDictionary<string, string>>? ConfigureService { get; init; }

    /// <summary>How long each host may take to become ready (longer on a machine busy with other work).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Settings added to the gateway's environment, e.g. raised rate limits.</summary>
    public IDictionary<string, string> GatewaySettings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Services => services;
    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess Gateway => Process("gateway");

    public ServiceProcess Process(string name) =>
        _processes.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"{name} did not start.");

    public string DatabaseOf(string service) => $"{databasePrefix}_{_run}_{service}";

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
        _virtualHost = $"{databasePrefix}_{_run}";
        var rabbitMq = await RealServers.CreateRabbitMqVirtualHostAsync(_virtualHost);
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
            };
            switch (service)
            {
                case "volunteers":
                    environment["Volunteers__DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    break;
                case "activities":
                    environment["Activities__QrSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
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
        if (_virtualHost is not null)
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(_virtualHost);
        }
    }
}
