using System.Diagnostics;

namespace PracticeMesh.Reliability;

/// <param name="At">The share of the activities completed when it starts (0 to 1).</param>
public sealed record Fault(string Name, double At, Func<Hosts, Task> Inject);

/// <summary>What happened during a fault: how long until the platform was ready again.</summary>
public sealed record FaultWindow(string Name, TimeSpan Outage, TimeSpan UntilReady);

/// <summary>
/// Injects the faults one after another while the workload runs, each when its share of activities is complete.
/// Requests started from the fault's beginning until every host is ready again (and a few seconds after, while
/// clients catch up) are counted in the fault's window.
/// </summary>
public static class Faults
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static Fault RabbitMqStopped(TimeSpan duration, double at) => new($"RabbitMQ stopped {duration.TotalSeconds:F0} s", at, async _ =>
    {
        await Servers.StopRabbitMqAsync();
        await Task.Delay(duration);
        await Servers.StartRabbitMqAsync();
    });

    public static Fault PostgresRestarted(double at) => new("PostgreSQL restarted", at, _ => Servers.RestartPostgresAsync());

    public static Fault VolunteersKilled(double at) => new("volunteers killed -9 and started", at, hosts => hosts.KillAndStartAsync("volunteers"));

    public static Fault RedisStopped(TimeSpan duration, double at) => new($"Redis stopped {duration.TotalSeconds:F0} s", at, async _ =>
    {
        await Servers.StopRedisAsync();
        await Task.Delay(duration);
        await Servers.StartRedisAsync();
    });

    public static async Task<IReadOnlyList<FaultWindow>> RunAsync(IReadOnlyList<Fault> faults, Hosts hosts, Workload workload, Task workloadDone, Traffic traffic)
    {
        var windows = new List<FaultWindow>();
        foreach (var fault in faults)
        {
            while (workload.CompletedCount < fault.At * workload.Target && !workloadDone.IsCompleted)
            {
                await Task.Delay(200);
            }
            Console.WriteLine($"  {DateTime.UtcNow:HH:mm:ss} {fault.Name} (after {workload.CompletedCount} activities)");
            traffic.Window = fault.Name;
            var started = Stopwatch.GetTimestamp();
            await fault.Inject(hosts);
            var outage = Stopwatch.GetElapsedTime(started);
            await hosts.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
            var untilReady = Stopwatch.GetElapsedTime(started);
            await Task.Delay(Grace);
            traffic.Window = Traffic.Steady;
            windows.Add(new FaultWindow(fault.Name, outage, untilReady));
            Console.WriteLine($"  {DateTime.UtcNow:HH:mm:ss} ready again {untilReady.TotalSeconds:F0} s after it began");
        }
        return windows;
    }
}
