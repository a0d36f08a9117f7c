using System.Globalization;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>
/// G1–G4: the gateway against the same GET straight to the service, against nginx proxying the same backend, on a
/// real read (a township's station subtree), and the latency it adds at half of its saturation. wrk runs on the
/// same 2 cores as everything it measures; every GET carries the county admin's token, which the gateway and the
/// service each check (nginx checks nothing).
/// </summary>
public static class GatewayComparisons
{
    private const int Connections = 64;
    /// <summary>The trivial endpoint: the obligation policy, answered from configuration with no database.</summary>
    private const string TrivialPath = "/api/v1/volunteers/obligations/policy";
    private static readonly string SubtreePath = $"/api/v1/stations/{SideBySideRun.County}101/subtree";

    public static async Task<IReadOnlyList<Finding>> RunAsync(SideBySideRun run)
    {
        var platform = run.Platform;
        var gateway = platform.Gateway;
        var volunteers = platform.Process("volunteers");
        var stations = platform.Process("stations");
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {run.AdminToken}" };
        await using var nginx = await NginxProxy.StartAsync(volunteers.Address);

        // Each side: a GET of one address, and the processes whose CPU serves it.
        Func<int, Task<Sample>> Saturated(Uri baseAddress, string path, params string[] serving) => _ =>
            MeasureAsync(platform, new Uri(baseAddress, path), headers, run.PerSide, serving);

        // Warm-up: JIT, connection pools, the token's validation caches, the subtree cache.
        foreach (var (address, path) in new[] { (gateway.Address, TrivialPath), (volunteers.Address, TrivialPath), (nginx.Address, TrivialPath),
                     (gateway.Address, SubtreePath), (stations.Address, SubtreePath) })
        {
            await Wrk.RunAsync(new Uri(address, path), Connections, TimeSpan.FromSeconds(run.Quick ? 1 : 3), headers: headers);
        }

        // G1 and G2 from the same rounds: gateway, direct, nginx, in turn.
        var trivial = await Rounds.InterleaveAsync(run.Rounds,
            Saturated(gateway.Address, TrivialPath, "gateway", "volunteers", "redis"),
            Saturated(volunteers.Address, TrivialPath, "volunteers"),
            Saturated(nginx.Address, TrivialPath, "nginx", "volunteers"));
        var (viaGateway, direct, viaNginx) = (trivial[0], trivial[1], trivial[2]);
        var g1 = Rounds.MedianRatio(viaGateway, direct, s => s.OpsPerSecond);
        var g2 = Rounds.MedianRatio(viaGateway, viaNginx, s => s.OpsPerSecond);
        var gatewaySide = new Side("GET policy through the gateway", viaGateway);
        var directSide = new Side("GET policy straight to volunteers", direct);
        var nginxSide = new Side("GET policy through nginx", viaNginx);

        // G3: a real read, cached in Redis by the stations service.
        var subtree = await Rounds.InterleaveAsync(run.Rounds,
            Saturated(gateway.Address, SubtreePath, "gateway", "stations", "redis", "postgres"),
            Saturated(stations.Address, SubtreePath, "stations", "redis", "postgres"));
        var g3 = Rounds.MedianRatio(subtree[0], subtree[1], s => s.OpsPerSecond);

        // G4: both at the same fixed rate, half of what the gateway saturated at.
        var rate = (int)(Sample.Median(viaGateway).OpsPerSecond / 2);
        var paced = new Dictionary<string, string> { ["RATE"] = rate.ToString(CultureInfo.InvariantCulture) };
        var halfLoad = await Rounds.InterleaveAsync(run.Rounds,
            _ => MeasureAsync(platform, new Uri(gateway.Address, TrivialPath), headers, run.PerSide, ["gateway", "volunteers", "redis"], paced),
            _ => MeasureAsync(platform, new Uri(volunteers.Address, TrivialPath), headers, run.PerSide, ["volunteers"], paced));
        var addedP50 = Rounds.MedianDifference(halfLoad[0], halfLoad[1], s => s.P50Ms);
        var addedP99 = Rounds.MedianDifference(halfLoad[0], halfLoad[1], s => s.P99Ms);

        return
        [
            new Finding("G1", $"GET of a trivial endpoint ({TrivialPath}), gateway ÷ straight to the service, {Connections} keep-alive connections",
                Rounds.Format(g1), "≥ 0.5", g1 >= 0.5, [gatewaySide, directSide]),
            new Finding("G2", "the same GET, gateway ÷ nginx (upstream keep-alive) to the same service",
                Rounds.Format(g2), "≥ 0.8", g2 >= 0.8, [gatewaySide, nginxSide]),
            new Finding("G3", $"a township's station subtree ({SubtreePath}), gateway ÷ straight to the service",
                Rounds.Format(g3), "—", true,
                [new Side("subtree through the gateway", subtree[0]), new Side("subtree straight to stations", subtree[1])]),
            new Finding("G4", $"latency the gateway adds to the trivial GET at {rate:N0}/s (half of its saturation)",
                $"p50 {Signed(addedP50)} ms, p99 {Signed(addedP99)} ms", "p99 ≤ +1 ms", addedP99 <= 1,
                [new Side($"through the gateway at {rate:N0}/s", halfLoad[0]), new Side($"straight to volunteers at {rate:N0}/s", halfLoad[1])]),
        ];
    }

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Rounds.Format(value);

    /// <summary>One wrk run; the CPU charged is that of <paramref name="serving"/> (processes or servers by name).</summary>
    private static async Task<Sample> MeasureAsync(ProcessPlatform platform, Uri url, IReadOnlyDictionary<string, string> headers, TimeSpan duration,
        string[] serving, IReadOnlyDictionary<string, string>? paced = null)
    {
        var before = CpuClock.Snapshot(platform.Processes);
        var result = await Wrk.RunAsync(url, Connections, duration, headers: headers, script: paced is null ? null : "paced.lua", environment: paced);
        var cpu = CpuClock.Between(before, CpuClock.Snapshot(platform.Processes));
        if (result.NonSuccess > 0)
        {
            throw new InvalidOperationException($"{url} answered {result.NonSuccess} of {result.Requests} requests with an error:\n{result.Output}");
        }
        var cpuMs = serving.Sum(name => cpu.GetValueOrDefault(name)) * 1000;
        return new Sample(result.RequestsPerSecond, result.P50Ms, result.P99Ms, cpuMs / Math.Max(1, result.Requests));
    }
}
