using System.Security.Cryptography;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// The distributed mode: the five services and the gateway as separate processes on the real PostgreSQL
/// (a database per service, fresh for this run), RabbitMQ and Redis.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    public static readonly string[] Services = ["stations", "volunteers", "activities", "grid", "assessment", "identity"];

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    public ServiceProcess Gateway => _processes.SingleOrDefault(p => p.Name == "gateway") ?? throw new InvalidOperationException("The gateway did not start.");

    public string DatabaseOf(string service) => $"pm_e2e_{_run}_{service}";

    public HttpClient CreateClient() => new() { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client through the gateway signed in as <paramref name="userName"/> (a demo account unless created).</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password = Tokens.DemoPassword)
    {
        var client = CreateClient();
        return client.WithToken(await Tokens.PasswordAsync(client, userName, password));
    }

    public string Logs => string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Tail(15)}"));

    public async Task InitializeAsync()
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
        foreach (var service in Services)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            var environment = new Dictionary<string, string>(auth)
            {
                ["Database__Provider"] = "Postgres",
                [$"ConnectionStrings__{service}"] = RealServers.PostgresDatabase(DatabaseOf(service)),
                ["Messaging__Transport"] = "RabbitMq",
                ["ConnectionStrings__rabbitmq"] = RealServers.RabbitMq,
                ["ConnectionStrings__redis"] = RealServers.Redis,
                ["Outbox__PublishTimeout"] = "00:00:03",
                ["Outbox__MaxBackoff"] = "00:00:02",
            };
            if (service == "volunteers")
            {
                environment["Volunteers__DataKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
            if (service == "activities")
            {
                environment["Activities__QrSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
            if (service == "identity")
            {
                environment["Identity__SigningKey"] = signingKey.ExportPkcs8PrivateKeyPem();
                environment["Identity__AllowHttp"] = "true";
                environment["Identity__SeedDemo"] = "true";
            }
            var process = ServiceProcess.Start(service, $"services/{name}", $"PracticeMesh.{name}", environment,
                service == "identity" ? identityAddress : null);
            _processes.Add(process);
            gatewayEnvironment[$"ReverseProxy__Clusters__{service}__Destinations__primary__Address"] = process.Address.ToString();
        }
        await Task.WhenAll(_processes.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromMinutes(2))));
        gatewayEnvironment["ConnectionStrings__redis"] = RealServers.Redis;
        // Counters and stored answers of this run only; the matrix test makes a few hundred calls a minute.
        gatewayEnvironment["Gateway__RedisKeyPrefix"] = $"practicemesh:e2e:{_run}:";
        gatewayEnvironment["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "100000";
        gatewayEnvironment["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "100000";
        _processes.Add(ServiceProcess.Start("gateway", "gateway", "PracticeMesh.Gateway", gatewayEnvironment, gatewayAddress));
        await Gateway.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        foreach (var service in Services)
        {
            await RealServers.DropDatabaseAsync(DatabaseOf(service));
        }
    }
}

/// <summary>The standalone mode: one process, a SQLite file per service, the in-memory bus.</summary>
public class StandalonePlatform : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "practicemesh-e2e", Guid.NewGuid().ToString("N"));

    private ServiceProcess? _host;

    /// <summary>Whether the host loads the demo county, as the README's run command does.</summary>
    protected virtual bool LoadDemo => false;

    public ServiceProcess Host => _host ?? throw new InvalidOperationException("The standalone host did not start.");

    public HttpClient CreateClient() => new() { BaseAddress = Host.Address, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<HttpClient> SignInAsync(string userName, string password = Tokens.DemoPassword)
    {
        var client = CreateClient();
        return client.WithToken(await Tokens.PasswordAsync(client, userName, password));
    }

    public async Task InitializeAsync()
    {
        var address = ServiceProcess.NewAddress();
        _host = ServiceProcess.Start("standalone", "services/Standalone", "PracticeMesh.Standalone", new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = _dataDirectory,
            ["Demo__Load"] = LoadDemo ? "true" : "false",
            // The standalone host issues and checks its own tokens: its issuer is its own address.
            ["Auth__Issuer"] = address.ToString(),
        }, address);
        await Host.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>The standalone host exactly as the README runs it: with the demo county.</summary>
public sealed class DemoStandalonePlatform : StandalonePlatform
{
    protected override bool LoadDemo => true;
}
