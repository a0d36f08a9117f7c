using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 15's numbers: township cells behind one gateway. Activities runs as two cells (the primary serves township
/// 321324101, cell b 321324102, each with its own database); two gateways stand in front of the same processes, one
/// with the routing table (two cells) and one without (everything to the primary, as a county of one cell runs).
/// The same GET by id and by code, of an activity the primary holds, is measured through each in interleaved rounds:
/// the ratio is what routing by the township in the id or the query costs per request. Then the county's month
/// calendar, which the two-cell gateway answers from both cells, median and p99 of sequential reads.
/// </summary>
public static class CellsBenchmark
{
    private const string TownshipA = "321324101";
    private const string TownshipB = "321324102";
    private const int Connections = 32;

    public static async Task RunAsync(bool quick)
    {
        var stationsPerTownship = quick ? 4 : 16;
        var activitiesPerStation = quick ? 2 : 10;
        var rounds = quick ? 1 : 5;
        var perSide = TimeSpan.FromSeconds(quick ? 2 : 10);
        var reads = quick ? 50 : 300;
        var table = JsonSerializer.Serialize(new
        {
            services = new Dictionary<string, object>
            {
                ["activities"] = new
                {
                    primary = "activities",
                    cells = new Dictionary<string, string[]> { ["activities"] = [TownshipA], [ProcessPlatform.CellOf("activities")] = [TownshipB] },
                },
            },
        });
        await using var platform = new ProcessPlatform("pm_bench_cells", ["identity", "stations", "activities"])
        {
            SecondCells = ["activities"],
            CellsTable = table,
            GatewaySettings = new Dictionary<string, string>
            {
                ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "10000000",
                ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "10000000",
            },
        };
        var started = Stopwatch.GetTimestamp();
        await platform.StartAsync();
        // The same processes behind a gateway with no routing table: one cell, as before cells.
        var oneCell = await platform.StartGatewayAsync("gateway-one-cell", new Dictionary<string, string?> { ["Gateway__Cells__File"] = null });
        var twoCells = platform.Gateway;
        Console.WriteLine($"started identity, stations, two activities cells and two gateways in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        using var admin = await platform.SignInAsync("county.admin");
        started = Stopwatch.GetTimestamp();
        var villages = await SideBySideRun.ImportCountyAsync(admin, townships: 2, stationsPerTownship);
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var ids = new List<Guid>();
        foreach (var village in villages)
        {
            for (var i = 0; i < activitiesPerStation; i++)
            {
                var startsAt = monthStart.AddDays(i * 27 / activitiesPerStation).AddHours(village[^1] % 4);
                // Through the two-cell gateway: each activity goes to its township's cell by its station code.
                ids.Add(await CheckInSeed.CreatePublishedAsync(admin, village, $"理论宣讲 {i + 1}", startsAt, startsAt.AddHours(2)));
            }
        }
        Console.WriteLine($"created {ids.Count} published activities in {villages.Count} stations of two townships in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        var range = $"from={Uri.EscapeDataString(monthStart.AddHours(-9).ToString("o"))}&to={Uri.EscapeDataString(monthStart.AddHours(-9).AddMonths(1).ToString("o"))}";
        var byId = $"/api/v1/activities/{ids[0]}";
        var byCode = $"/api/v1/activities?under={villages[0]}&{range}";
        var county = $"/api/v1/activities?under={SideBySideRun.County}&{range}";
        var headers = new Dictionary<string, string> { ["Authorization"] = admin.DefaultRequestHeaders.Authorization!.ToString() };

        foreach (var gateway in new[] { twoCells, oneCell })
        {
            foreach (var path in new[] { byId, byCode })
            {
                await Wrk.RunAsync(new Uri(gateway.Address, path), Connections, TimeSpan.FromSeconds(quick ? 1 : 3), headers: headers);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"| GET ({Connections} connections, {rounds} interleaved round(s) of {perSide.TotalSeconds:F0} s) | two cells /s | one cell /s | two ÷ one | p99 two / one | gateway CPU ms per request two / one |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (what, path) in new[] { ("by id (the township the id names)", byId), ("by code (a station's month, ?under=)", byCode) })
        {
            var sides = await Rounds.InterleaveAsync(rounds,
                _ => MeasureAsync(platform, twoCells, path, headers, perSide),
                _ => MeasureAsync(platform, oneCell, path, headers, perSide));
            var (two, one) = (Sample.Median(sides[0]), Sample.Median(sides[1]));
            Console.WriteLine($"| {what} | {two.OpsPerSecond:N0} | {one.OpsPerSecond:N0} | {Rounds.Format(Rounds.MedianRatio(sides[0], sides[1], s => s.OpsPerSecond))} | " +
                $"{two.P99Ms:F1} / {one.P99Ms:F1} ms | {two.CpuMsPerOp:F3} / {one.CpuMsPerOp:F3} |");
        }

        Console.WriteLine();
        var listedTwo = (await admin.GetAsync<List<JsonElement>>(county)).Count;
        await ReadsAsync(new Uri(twoCells.Address, county), admin, reads, $"county month calendar across both cells ({listedTwo} activities), two-cell gateway");
        using var viaOneCell = new HttpClient { BaseAddress = oneCell.Address };
        viaOneCell.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var listedOne = (await viaOneCell.GetAsync<List<JsonElement>>(county)).Count;
        await ReadsAsync(new Uri(oneCell.Address, county), viaOneCell, reads, $"the same read, one-cell gateway (the primary's {listedOne} activities only)");
    }

    /// <summary>One wrk run of <paramref name="path"/> through <paramref name="gateway"/>; the CPU charged is that gateway's.</summary>
    private static async Task<Sample> MeasureAsync(ProcessPlatform platform, ServiceProcess gateway, string path, IReadOnlyDictionary<string, string> headers, TimeSpan duration)
    {
        var before = CpuClock.Snapshot(platform.Processes);
        var result = await Wrk.RunAsync(new Uri(gateway.Address, path), Connections, duration, headers: headers);
        var cpu = CpuClock.Between(before, CpuClock.Snapshot(platform.Processes));
        if (result.NonSuccess > 0)
        {
            throw new InvalidOperationException($"{path} through {gateway.Name} answered {result.NonSuccess} of {result.Requests} requests with an error:\n{result.Output}");
        }
        return new Sample(result.RequestsPerSecond, result.P50Ms, result.P99Ms, cpu.GetValueOrDefault(gateway.Name) * 1000 / Math.Max(1, result.Requests));
    }

    private static async Task ReadsAsync(Uri url, HttpClient client, int reads, string what)
    {
        for (var i = 0; i < 10; i++)
        {
            using var warm = await client.GetAsync(url);
            warm.EnsureSuccessStatusCode();
        }
        var times = new List<double>();
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        Console.WriteLine($"{what}: median {Rounds.Percentile(times, 50).ToString("F2", CultureInfo.InvariantCulture)} ms, " +
            $"p99 {Rounds.Percentile(times, 99).ToString("F2", CultureInfo.InvariantCulture)} ms ({reads} sequential reads)");
    }
}
