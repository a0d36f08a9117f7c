using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
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
    private const string County = "321324";
    private const string Township = "321324104";
    private const int Townships = 4;
    private const int StationsPerTownship = 16;
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

        await using var platform = new Platform();
        var started = Stopwatch.GetTimestamp();
        await platform.StartAsync();
        Console.WriteLine($"started identity, stations, activities and the gateway in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        using var admin = await platform.SignInAsync("county.admin", Tokens.DemoPassword);
        started = Stopwatch.GetTimestamp();
        var underWay = await SeedAsync(platform, admin);
        var volunteerToken = await VolunteerTokenAsync(platform, admin);
        Console.WriteLine($"seeded {underWay.Count} activities under way with {underWay.Count * Capacity:N0} sign-ups in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        // Warm-up (JIT, connection pools), then the measured runs, each with fresh QR tokens and unused sign-ups.
        await CheckInRunAsync(platform, admin, volunteerToken, underWay, connections: 16, seconds: 10, warmUp: true);
        Console.WriteLine();
        Console.WriteLine("| wrk connections | check-ins/s (wrk) | stored/s | p50 | p90 | p99 | non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var c in connections)
        {
            await CheckInRunAsync(platform, admin, volunteerToken, underWay, c, seconds, warmUp: false);
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

    private static async Task<List<Guid>> SeedAsync(Platform platform, HttpClient admin)
    {
        var csv = new StringBuilder("code,name,kind\n");
        csv.Append($"{County},泗洪县新时代文明实践中心,CountyCentre\n");
        var villages = new List<string>();
        for (var t = 1; t <= Townships; t++)
        {
            var township = $"{County}{100 + t}";
            csv.Append($"{township},第{t}镇新时代文明实践所,Institute\n");
            for (var v = 1; v <= StationsPerTownship; v++)
            {
                villages.Add($"{township}{200 + v:000}");
                csv.Append($"{villages[^1]},第{t}镇第{v}村新时代文明实践站,Village\n");
            }
        }
        using (var content = new StringContent(csv.ToString(), Encoding.UTF8))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var imported = await admin.PostAsync("/api/v1/stations/import", content);
            if (!imported.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"import answered {(int)imported.StatusCode}: {await imported.Content.ReadAsStringAsync()}");
            }
        }

        var now = DateTimeOffset.UtcNow;
        var underWay = new List<Guid>();
        foreach (var village in villages)
        {
            for (var i = 0; i < ActivitiesPerStation; i++)
            {
                // Lei Feng day: every station's activities started a few minutes ago and run for the afternoon.
                var startsAt = now.AddMinutes(-10 - i);
                underWay.Add(await CreatePublishedAsync(admin, village, $"学雷锋志愿服务 {i + 1}", startsAt, startsAt.AddHours(4)));
            }
        }
        // The rest of the measured township's month, one every few days per station.
        var monthStart = new DateTimeOffset(now.ToOffset(TimeSpan.FromHours(8)).Year, now.ToOffset(TimeSpan.FromHours(8)).Month, 1, 9, 0, 0, TimeSpan.FromHours(8));
        foreach (var village in villages.Where(v => v.StartsWith(Township, StringComparison.Ordinal)))
        {
            for (var i = 0; i < OtherActivitiesPerStation; i++)
            {
                var startsAt = monthStart.AddDays(1 + i * 5 + village[^1] % 4);
                await CreatePublishedAsync(admin, village, $"理论宣讲 {i + 1}", startsAt, startsAt.AddHours(2));
            }
        }

        // Approved volunteers (the read model) and their confirmed places, in the activities database.
        await using var db = new NpgsqlConnection(RealServers.PostgresDatabase(platform.DatabaseOf("activities")));
        await db.OpenAsync();
        var activityIds = new List<Guid>();
        var volunteerIds = new List<Guid>();
        var positions = new List<int>();
        foreach (var activity in underWay)
        {
            for (var p = 0; p < Capacity; p++)
            {
                activityIds.Add(activity);
                volunteerIds.Add(Guid.CreateVersion7());
                positions.Add(p);
            }
        }
        await using (var volunteers = new NpgsqlCommand(
            "INSERT INTO known_volunteers (\"Id\", \"DivisionCode\", \"DisplayName\") SELECT id, a.\"DivisionCode\", '志愿者' FROM unnest($1::uuid[], $2::uuid[]) AS v(id, activity) JOIN activities a ON a.\"Id\" = v.activity", db))
        {
            volunteers.Parameters.AddWithValue(volunteerIds.ToArray());
            volunteers.Parameters.AddWithValue(activityIds.ToArray());
            await volunteers.ExecuteNonQueryAsync();
        }
        await using (var signUps = new NpgsqlCommand(
            "INSERT INTO sign_ups (\"ActivityId\", \"VolunteerId\", \"SignedUpAt\", \"Position\", \"Status\", \"Version\") " +
            "SELECT a, v, now() - interval '1 day', p, 'Confirmed', 0 FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS s(a, v, p)", db))
        {
            signUps.Parameters.AddWithValue(activityIds.ToArray());
            signUps.Parameters.AddWithValue(volunteerIds.ToArray());
            signUps.Parameters.AddWithValue(positions.ToArray());
            await signUps.ExecuteNonQueryAsync();
        }
        await using (var next = new NpgsqlCommand($"UPDATE activities SET \"NextPosition\" = {Capacity}, \"Version\" = \"Version\" + 1 WHERE \"Id\" = ANY($1)", db))
        {
            next.Parameters.AddWithValue(underWay.ToArray());
            await next.ExecuteNonQueryAsync();
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE", db))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        return underWay;
    }

    private static async Task<Guid> CreatePublishedAsync(HttpClient admin, string station, string title, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        // Activities hears of the stations from StationRegistered: until then it answers 404.
        var created = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = station, title, category = "ConvenienceService", startsAt, endsAt, capacity = Capacity,
                platform = "Culture", venue = "村文化广场", festivalTag = "LeiFengDay",
            });
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, $"the activities service to learn of station {station}");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{id}/publish", null, HttpStatusCode.OK);
        return id;
    }

    /// <summary>A volunteer account of the county, as the phones scanning the code sign in.</summary>
    private static async Task<string> VolunteerTokenAsync(Platform platform, HttpClient admin)
    {
        const string password = "PracticeMesh-bench-1";
        await admin.PostAsync("/api/v1/identity/people", new
        {
            userName = "bench.volunteer", displayName = "压测志愿者", password, role = "volunteer", division = County,
        }, HttpStatusCode.Created);
        using var client = platform.CreateClient();
        return await Tokens.PasswordAsync(client, "bench.volunteer", password);
    }

    private static async Task CheckInRunAsync(Platform platform, HttpClient admin, string bearer, List<Guid> activities, int connections, int seconds, bool warmUp)
    {
        // The code each venue's screen shows now.
        var qr = new Dictionary<Guid, string>();
        foreach (var activity in activities)
        {
            qr[activity] = (await admin.GetAsync($"/api/v1/activities/{activity}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString()!;
        }
        // Unused places, interleaved across activities as many venues check in at once.
        await using var db = new NpgsqlConnection(RealServers.PostgresDatabase(platform.DatabaseOf("activities")));
        await db.OpenAsync();
        var file = Path.Combine(Path.GetTempPath(), $"practicemesh-checkins-{Environment.ProcessId}.txt");
        var lines = 0;
        await using (var writer = new StreamWriter(file))
        await using (var pending = new NpgsqlCommand(
            "SELECT \"ActivityId\", \"VolunteerId\" FROM sign_ups WHERE \"CheckedInAt\" IS NULL AND \"ActivityId\" = ANY($1) ORDER BY \"Position\", \"ActivityId\"", db))
        {
            pending.Parameters.AddWithValue(activities.ToArray());
            await using var reader = await pending.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var activity = reader.GetGuid(0);
                await writer.WriteLineAsync($"{activity} {reader.GetGuid(1)} {qr[activity]}");
                lines++;
            }
        }
        var before = await CheckedInAsync(db);
        var transactionsBefore = await TransactionsAsync(db);
        var cpuBefore = platform.CpuSeconds();
        var output = await WrkAsync(platform.Gateway.Address, bearer, file, connections, seconds);
        var cpu = platform.CpuSeconds().ToDictionary(p => p.Key, p => (p.Value - cpuBefore.GetValueOrDefault(p.Key)) / seconds);
        var stored = await CheckedInAsync(db) - before;
        // Counted by PostgreSQL for the activities database: every statement outside a transaction is one.
        var transactions = await TransactionsAsync(db) - transactionsBefore;
        File.Delete(file);
        if (warmUp)
        {
            Console.WriteLine($"warm-up: {stored:N0} check-ins stored in {seconds} s");
            return;
        }
        var rate = Match(output, @"Requests/sec:\s+([\d.]+)");
        var nonSuccess = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)") is { Success: true } m ? m.Groups[1].Value : "0";
        Console.WriteLine($"| {connections} | {double.Parse(rate, CultureInfo.InvariantCulture):N0} | {stored / (double)seconds:N0} | " +
            $"{Latency(output, "50")} | {Latency(output, "90")} | {Latency(output, "99")} | {nonSuccess} |");
        Console.WriteLine($"  PostgreSQL transactions per check-in: {transactions / (double)Math.Max(1, stored):F2}");
        Console.WriteLine("  CPU (cores busy, of 2): " + string.Join(", ", cpu.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:F2}")));
        if (stored >= lines)
        {
            Console.WriteLine($"  (all {lines:N0} unused sign-ups were consumed: raise {nameof(Capacity)} for longer runs)");
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

    private static async Task<long> CheckedInAsync(NpgsqlConnection db)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM sign_ups WHERE \"CheckedInAt\" IS NOT NULL", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<string> WrkAsync(Uri gateway, string bearer, string file, int connections, int seconds)
    {
        var script = Path.Combine(ServiceProcess.RepositoryRoot, "tests", "Benchmarks", "checkins.lua");
        var info = new ProcessStartInfo("wrk",
            ["-t", WrkThreads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
             "-d", $"{seconds}s", "--latency", "--timeout", "10s", "-s", script, gateway.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["CHECKINS_FILE"] = file;
        info.Environment["BEARER"] = bearer;
        info.Environment["WRK_THREADS"] = WrkThreads.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (is it installed?).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {await stderr}\n{await stdout}");
        }
        var output = await stdout;
        if (Environment.GetEnvironmentVariable("ACTIVITIES_BENCH_VERBOSE") == "1")
        {
            Console.WriteLine(output);
        }
        return output;
    }

    private static string Match(string output, string pattern) =>
        Regex.Match(output, pattern) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"wrk printed no {pattern}:\n{output}");

    /// <summary>wrk's percentile in milliseconds (it prints us, ms or s).</summary>
    private static string Latency(string output, string percentile)
    {
        var m = Regex.Match(output, $@"\s{percentile}%\s+([\d.]+)(us|ms|s)\b");
        if (!m.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percentile}% latency:\n{output}");
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        return $"{ms:F1} ms";
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
        Console.WriteLine($"{what}: {bytes / 1024.0:F0} KiB, median {Percentile(times, 50):F2} ms, p99 {Percentile(times, 99):F2} ms ({Reads} sequential reads through the gateway)");
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    /// <summary>The services the check-ins pass through, as real processes on fresh databases, as EndToEnd.Tests starts them.</summary>
    private sealed class Platform : IAsyncDisposable
    {
        private static readonly string[] Services = ["identity", "stations", "activities"];
        private readonly List<ServiceProcess> _processes = [];
        private readonly string _run = Guid.NewGuid().ToString("N")[..10];

        public ServiceProcess Gateway => _processes.Single(p => p.Name == "gateway");

        public string DatabaseOf(string service) => $"pm_bench_{_run}_{service}";

        /// <summary>CPU seconds so far of each host, and of PostgreSQL, Redis, RabbitMQ and wrk (all their processes).</summary>
        public Dictionary<string, double> CpuSeconds()
        {
            var cpu = _processes.ToDictionary(p => p.Name, p => Ticks(p.ProcessId) / 100.0);
            // The whole machine: these, wrk (gone from /proc by the second reading, but counted here) and anything else.
            var all = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            cpu["machine"] = (all.Sum() - all[3] - all[4]) / 100.0;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    continue;
                }
                var name = Comm(pid) switch
                {
                    "postgres" => "postgres",
                    "redis-server" => "redis",
                    "beam.smp" => "rabbitmq",
                    "wrk" => "wrk",
                    _ => null,
                };
                if (name is not null)
                {
                    cpu[name] = cpu.GetValueOrDefault(name) + Ticks(pid) / 100.0;
                }
            }
            return cpu;
        }

        /// <summary>utime + stime of a process, in clock ticks (100 a second on Linux).</summary>
        private static long Ticks(int pid)
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

        public HttpClient CreateClient() => new() { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(60) };

        public async Task<HttpClient> SignInAsync(string userName, string password)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Tokens.PasswordAsync(client, userName, password));
            return client;
        }

        public async Task StartAsync()
        {
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
                };
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
            gatewayEnvironment["Gateway__RedisKeyPrefix"] = $"practicemesh:bench:{_run}:";
            // One volunteer account from one address sends every check-in here; the limits are for real clients.
            gatewayEnvironment["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "10000000";
            gatewayEnvironment["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "10000000";
            _processes.Add(ServiceProcess.Start("gateway", "gateway", "PracticeMesh.Gateway", gatewayEnvironment, gatewayAddress));
            await Gateway.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        }

        public async ValueTask DisposeAsync()
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

    /// <summary>Real tokens from the platform's token endpoint (the demo accounts' password is the identity seed's).</summary>
    private static class Tokens
    {
        public const string DemoPassword = "PracticeMesh-demo-1";

        public static async Task<string> PasswordAsync(HttpClient client, string userName, string password)
        {
            using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = userName,
                ["password"] = password,
            }));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"token request for {userName} answered {(int)response.StatusCode}: {body}");
            }
            return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        }
    }
}
