using System.Diagnostics;
using System.Globalization;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Reliability;

/// <summary>
/// The run's own PostgreSQL, Redis and RabbitMQ, controlled through tests/Reliability/servers.sh (which knows their
/// ports and data directories, and becomes root through sudo where it must).
/// </summary>
public static class Servers
{
    private static string Script => Path.Combine(ServiceProcess.RepositoryRoot, "tests", "Reliability", "servers.sh");

    public static Task StopRabbitMqAsync() => RunAsync("stop-rabbitmq");
    public static Task StartRabbitMqAsync() => RunAsync("start-rabbitmq");
    public static Task RestartPostgresAsync() => RunAsync("restart-postgres");
    public static Task StopRedisAsync() => RunAsync("stop-redis");
    public static Task StartRedisAsync() => RunAsync("start-redis");

    /// <summary>Every queue on the run's broker node (its default virtual host holds only this run's queues).</summary>
    public static async Task<IReadOnlyList<QueueCount>> QueuesAsync()
    {
        var output = await RunAsync("queues");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 3 && long.TryParse(c[1], out _))
            .Select(c => new QueueCount(c[0], long.Parse(c[1], CultureInfo.InvariantCulture), long.Parse(c[2], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Writes down the hosts' process ids, so that servers.sh can end them if this run is killed.</summary>
    public static void RecordHosts(IEnumerable<int> processIds)
    {
        if (Environment.GetEnvironmentVariable("RELIABILITY_DIR") is { } directory && Directory.Exists(directory))
        {
            File.WriteAllLines(Path.Combine(directory, "hosts.pid"), processIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static async Task<string> RunAsync(string command)
    {
        var info = new ProcessStartInfo(Script, [command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("servers.sh did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {command} failed ({process.ExitCode}): {await error}");
        }
        return await output;
    }
}

public sealed record QueueCount(string Name, long Ready, long Unacknowledged)
{
    public bool IsErrorQueue => Name.EndsWith("_error", StringComparison.Ordinal);
    public bool IsSkippedQueue => Name.EndsWith("_skipped", StringComparison.Ordinal);
}
