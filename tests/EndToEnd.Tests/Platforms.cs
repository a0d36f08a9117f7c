using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// The distributed mode: the five services and the gateway as separate processes on the real PostgreSQL
/// (a database per service, fresh for this run), RabbitMQ and Redis.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    private readonly ProcessPlatform _platform = new("pm_e2e", ProcessPlatform.AllServices)
    {
        // The RabbitMQ outage test wants failed publishes noticed and retried within seconds.
        ConfigureService = (service, environment) =>
        {
            environment["Outbox__PublishTimeout"] = "00:00:03";
            environment["Outbox__MaxBackoff"] = "00:00:02";
            if (service == "grid")
            {
                // The escalation test waits for a sweep after moving the grid's clock.
                environment["Grid__EscalationSweepInterval"] = "00:00:01";
            }
        },
        // The matrix test makes a few hundred calls a minute from one address.
        GatewaySettings = new Dictionary<string, string>
        {
            ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "100000",
            ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "100000",
        },
    };

    public ServiceProcess Gateway => _platform.Gateway;

    public string DatabaseOf(string service) => _platform.DatabaseOf(service);

    /// <summary>Moves the grid service's clock <paramref name="offset"/> ahead of the system's (time limits run out).</summary>
    public void MoveGridClock(TimeSpan offset) => _platform.MoveGridClock(offset);

    /// <summary>Moves <paramref name="service"/>'s clock (grid or assessment) <paramref name="offset"/> ahead of the system's.</summary>
    public void MoveClock(string service, TimeSpan offset) => _platform.MoveClock(service, offset);

    /// <summary>Waits until the named queues of this platform's virtual host hold no ready or unacknowledged message.</summary>
    public Task WaitForQueuesToDrainAsync(params string[] queues) => _platform.WaitForQueuesToDrainAsync(queues);

    public HttpClient CreateClient() => _platform.CreateClient();

    public Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword) => _platform.SignInAsync(userName, password);

    public string Logs => _platform.Logs;

    public Task InitializeAsync() => _platform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();
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

    public async Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword)
    {
        var client = CreateClient();
        return client.WithToken(await PlatformTokens.PasswordAsync(client, userName, password));
    }

    public async Task InitializeAsync()
    {
        var address = ServiceProcess.NewAddress();
        _host = ServiceProcess.Start("standalone", "services/Standalone", "PracticeMesh.Standalone", new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = _dataDirectory,
            ["Demo__Load"] = LoadDemo ? "true" : "false",
            // No Auth__Issuer: the host takes its issuer from ASPNETCORE_URLS, the free port it was moved to.
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
