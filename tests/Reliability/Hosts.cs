using System.Diagnostics;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Reliability;

/// <summary>
/// The distributed mode as <see cref="ProcessPlatform"/> starts it (every service and the gateway as processes on
/// the servers PRACTICEMESH_TEST_* name), plus what a fault needs: killing a service with SIGKILL and starting it
/// again on the same address with the same settings (its data key and signing keys included).
/// </summary>
public sealed class Hosts : IAsyncDisposable
{
    private readonly Dictionary<string, IDictionary<string, string>> _environments = [];
    private readonly List<ServiceProcess> _restarted = [];

    public Hosts()
    {
        Platform = new ProcessPlatform("pm_rel", ProcessPlatform.AllServices)
        {
            // Six hosts start at once; on a machine busy with builds and tests that takes minutes.
            ReadyTimeout = TimeSpan.FromMinutes(6),
            // The environment each service started with, kept to start it again the same way.
            ConfigureService = (service, environment) => _environments[service] = environment,
            // Every partner of the run calls from this one address with one account; the limits are for real clients.
            GatewaySettings = new Dictionary<string, string>
            {
                ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "10000000",
                ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "10000000",
            },
        };
    }

    public ProcessPlatform Platform { get; }

    public IEnumerable<int> ProcessIds => Platform.Processes.Concat(_restarted).Select(p => p.ProcessId);

    /// <summary>The running process of <paramref name="name"/> (a service or "gateway"), restarted or not.</summary>
    public ServiceProcess Current(string name) =>
        _restarted.LastOrDefault(p => p.Name.StartsWith(name + "-", StringComparison.Ordinal)) ?? Platform.Process(name);

    public async Task StartAsync()
    {
        await Platform.StartAsync();
        Servers.RecordHosts(ProcessIds);
    }

    /// <summary>kill -9, then the same service started again on the same address, and waited for until ready.</summary>
    public async Task KillAndStartAsync(string service)
    {
        var old = Current(service);
        using (var process = Process.GetProcessById(old.ProcessId))
        {
            process.Kill(); // SIGKILL: no shutdown, no draining, as a crashed or evicted pod
            await process.WaitForExitAsync();
        }
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        var restarted = ServiceProcess.Start($"{service}-{_restarted.Count + 1}", $"services/{name}", $"PracticeMesh.{name}",
            _environments[service], old.Address);
        _restarted.Add(restarted);
        Servers.RecordHosts(ProcessIds);
        await restarted.WaitUntilReadyAsync(Platform.ReadyTimeout);
    }

    /// <summary>Waits until every service and the gateway answer /health/ready (database, bus and Redis reachable).</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) =>
        Task.WhenAll(Platform.Services.Append("gateway").Select(name => Current(name).WaitUntilReadyAsync(timeout)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _restarted)
        {
            await process.DisposeAsync();
        }
        await Platform.DisposeAsync();
    }
}
