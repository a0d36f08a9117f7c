using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 6's numbers: QR check-ins through the gateway into PostgreSQL, with identity, stations, activities and the
/// gateway as real Release processes on this machine and wrk (the load generator) beside them; then a township's
/// month calendar and its iCalendar feed, median and p99.
/// </summary>
/// <remarks>
/// The county: 4 townships of 16 village stations (imported through the stations service, which tells activities
/// of them by event). Each station runs <see cref="ActivitiesPerStation"/> published activities under way now, each
/// with <see cref="Capacity"/> confirmed volunteers; the measured township also has its month's other activities.
/// Approved volunteers and their sign-ups are written straight into the activities database (the read model that
/// VolunteerApproved feeds, and the sign-up rows), because neither is what is measured and 100,000 of them through
/// the API would take longer than the measurement. Every check-in is a different volunteer with the QR token the
/// venue shows now, sent by a volunteer account as a phone would.
/// Settings: ACTIVITIES_BENCH_CONNECTIONS (comma-separated wrk connection counts, default "32,64"),
/// ACTIVITIES_BENCH_SECONDS (per measured run, default 30).
/// </remarks>
public static class ActivitiesBenchmark
{
    private const string Township = "321324104";
    private const int ActivitiesPerStation = 4;
    private const int Capacity = 400;
    /// <summary>The measured township's other activities this month, per station (besides those under way).</summary>
    private const int OtherActivitiesPerStation = 5;
    private const int Reads = 300;
    private const int WrkThreads = 2;

    public static async Task RunAsync()
    {
        var connections = (Environment.GetEnvironmentVariable("ACTIVITIES_BENCH_CONNECTIONS") ?? "32,64")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
        var seconds = int.Parse(Environment.GetEnvironmentVariable("ACTIVITIES_BENCH_SECONDS") ?? "30", CultureInfo.InvariantCulture);

        await using var platform = new ProcessPlatform("pm_bench", ["identity", "stations", "activities"])
        {
            // One volunteer account from one address sends every check-in here; the limits are for real clients.
            GatewaySettings = new Dictionary<string, string>
            {
                ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "10000000",
                ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "10000000",
            },
        };
        var started = Stopwatch.GetTimestamp();
        await platform.StartAsync();
        Console.WriteLine($"started identity, stations, activities and the gateway in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        using var admin = await platform.SignInAsync("county.admin");
        started = Stopwatch.GetTimestamp();
        var villages = await SideBySideRun.ImportCountyAsync(admin);
        var seed = await CheckInSeed.CreateAsync(platform, admin, villages, ActivitiesPerStation);
        await seed.AddSignUpsAsync(Capacity);
        await CreateTownshipMonthAsync(admin, villages);
        Console.WriteLine($"seeded {seed.Activities.Count} activities under way with {seed.Activities.Count * Capacity:N0} sign-ups in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        // Warm-up (JIT, connection pools), then the measured runs, each with fresh QR tokens and unused sign-ups.
        await CheckInRunAsync(platform, seed, connections: 16, seconds: 10, warmUp: true);
        Console.WriteLine();
        Console.WriteLine("| wrk connections | check-ins/s (wrk) | stored/s | p50 | p90 | p99 | non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var c in connections)
        {
            await CheckInRunAsync(platform, seed, c, seconds, warmUp: false);
        }

        Console.WriteLine();
        var month = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var from = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var calendar = $"/api/v1/activities?under={Township}&from={Uri.EscapeDataString(from.ToString("o"))}&to={Uri.EscapeDataString(from.AddMonths(1).ToString("o"))}";
        var count = (await admin.GetAsync<List<JsonElement>>(calendar)).Count;
        await ReadsAsync(admin, calendar, $"township month calendar ({count} activities, JSON, signed in)");
        using var anonymous = platform.CreateClient();
        await ReadsAsync(anonymous, $"/api/v1/activities/feeds/townships/{Township}.ics", "township iCalendar feed (public)");
    }

    /// <summary>The rest of the measured township's month, one every few days per station.</summary>
    private static async Task CreateTownshipMonthAsync(HttpClient admin, IReadOnlyList<string> villages)
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 9, 0, 0, TimeSpan.FromHours(8));
        foreach (var village in villages.Where(v => v.StartsWith(Township, StringComparison.Ordinal)))
        {
            for (var i = 0; i < OtherActivitiesPerStation; i++)
            {
                var startsAt = monthStart.AddDays(1 + i * 5 + village[^1] % 4);
                await CheckInSeed.CreatePublishedAsync(admin, village, $"理论宣讲 {i + 1}", startsAt, startsAt.AddHours(2), Capacity);
            }
        }
    }

    private static async Task CheckInRunAsync(ProcessPlatform platform, CheckInSeed seed, int connections, int seconds, bool warmUp)
    {
        var pending = await seed.PendingAsync();
        var file = Path.Combine(Path.GetTempPath(), $"practicemesh-checkins-{Environment.ProcessId}.txt");
        var environment = await seed.WrkEnvironmentAsync(pending, file);
        await using var db = new NpgsqlConnection(seed.ConnectionString);
        await db.OpenAsync();
        var before = await seed.CheckedInAsync();
        var transactionsBefore = await TransactionsAsync(db);
        var cpuBefore = CpuClock.Snapshot(platform.Processes);
        var wrk = await Wrk.RunAsync(platform.Gateway.Address, connections, TimeSpan.FromSeconds(seconds), WrkThreads, script: "checkins.lua", environment: environment);
        var cpu = CpuClock.Between(cpuBefore, CpuClock.Snapshot(platform.Processes)).ToDictionary(p => p.Key, p => p.Value / seconds);
        var stored = await seed.CheckedInAsync() - before;
        // Counted by PostgreSQL for the activities database: every statement outside a transaction is one.
        var transactions = await TransactionsAsync(db) - transactionsBefore;
        File.Delete(file);
        if (warmUp)
        {
            Console.WriteLine($"warm-up: {stored:N0} check-ins stored in {seconds} s");
            return;
        }
        Console.WriteLine($"| {connections} | {wrk.RequestsPerSecond:N0} | {stored / (double)seconds:N0} | " +
            $"{wrk.P50Ms:F1} ms | {wrk.P90Ms:F1} ms | {wrk.P99Ms:F1} ms | {wrk.NonSuccess} |");
        Console.WriteLine($"  PostgreSQL transactions per check-in: {transactions / (double)Math.Max(1, stored):F2}");
        Console.WriteLine("  CPU (cores busy, of 2): " + string.Join(", ", cpu.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:F2}")));
        if (stored >= pending.Count)
        {
            Console.WriteLine($"  (all {pending.Count:N0} unused sign-ups were consumed: raise {nameof(Capacity)} for longer runs)");
        }
    }

    private static async Task<long> TransactionsAsync(NpgsqlConnection db)
    {
        await using var count = new NpgsqlCommand("SELECT pg_stat_force_next_flush(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", db);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private static async Task ReadsAsync(HttpClient client, string path, string what)
    {
        var bytes = 0L;
        for (var i = 0; i < 30; i++)
        {
            using var warm = await client.GetAsync(path);
            warm.EnsureSuccessStatusCode();
            bytes = (await warm.Content.ReadAsByteArrayAsync()).Length;
        }
        var times = new List<double>();
        for (var i = 0; i < Reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        Console.WriteLine($"{what}: {bytes / 1024.0:F0} KiB, median {Rounds.Percentile(times, 50):F2} ms, p99 {Rounds.Percentile(times, 99):F2} ms ({Reads} sequential reads through the gateway)");
    }
}
