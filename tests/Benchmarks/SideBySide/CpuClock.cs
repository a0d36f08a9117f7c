using System.Globalization;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>CPU seconds (user + system) spent so far by processes, read from /proc, so a run can be charged per operation.</summary>
public static class CpuClock
{
    /// <summary>Processes of the servers, by name in /proc/&lt;pid&gt;/comm, summed over all of their processes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Servers = new Dictionary<string, string>
    {
        ["postgres"] = "postgres",
        ["redis-server"] = "redis",
        ["beam.smp"] = "rabbitmq",
        ["nginx"] = "nginx",
        ["wrk"] = "wrk",
    };

    /// <summary>CPU seconds so far of each host process and of each server (all its processes), by name.</summary>
    public static Dictionary<string, double> Snapshot(IEnumerable<ServiceProcess> hosts)
    {
        var cpu = hosts.ToDictionary(p => p.Name, p => Ticks(p.ProcessId) / 100.0);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Comm(pid) is { } comm && Servers.TryGetValue(comm, out var name))
            {
                cpu[name] = cpu.GetValueOrDefault(name) + Ticks(pid) / 100.0;
            }
        }
        // The whole machine (busy time of all cores), which also counts processes gone by the second reading.
        var all = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        cpu["machine"] = (all.Sum() - all[3] - all[4]) / 100.0;
        return cpu;
    }

    /// <summary>CPU seconds of this process so far.</summary>
    public static double Self() => Ticks(Environment.ProcessId) / 100.0;

    /// <summary>The CPU seconds each name spent between two snapshots.</summary>
    public static Dictionary<string, double> Between(Dictionary<string, double> before, Dictionary<string, double> after) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));

    /// <summary>utime + stime of a process, in clock ticks (100 a second on Linux).</summary>
    public static long Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
