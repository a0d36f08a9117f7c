using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Escalation;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 13's numbers: a county of 400 villages (20 townships of 20), 4,000 level-2 grids with square boundaries (a
/// regular lattice of 80 × 50 cells of 0.005°, about 470 × 560 m; each village a block of 5 × 2) and 200,000 cases
/// over the last year, bulk-loaded with PostgreSQL's binary COPY into the database of a grid service process that
/// has just run its migrations. Measured, sequentially from one client: locating a point's grid (PostGIS through the
/// service's context, PostGIS by hand through Npgsql, the in-memory NetTopologySuite index; and the service's own
/// endpoint once it exists), a township's open cases page, the statistics, the escalation sweep, and reporting a case
/// through the gateway (concurrently). <c>--quick</c>: 20,000 cases and fewer repetitions, to check that it runs.
/// </summary>
public static class GridBenchmark
{
    private const string County = "321324";
    private const int Townships = 20;
    private const int VillagesPerTownship = 20;
    private const int GridsPerVillage = 10;
    /// <summary>The lattice: 16 village blocks of 5 cells across, 25 blocks of 2 cells down.</summary>
    private const int BlocksAcross = 16;
    private const double Cell = 0.005;
    private const double West = 118.10;
    private const double South = 33.30;
    private static readonly string[] Categories =
        ["sanitation", "road-damage", "public-facility", "safety-hazard", "dispute", "illegal-construction", "help-request", "other"];
    private static readonly CaseStatus[] OpenStatuses = [CaseStatus.Reported, CaseStatus.Accepted, CaseStatus.Dispatched, CaseStatus.Handled, CaseStatus.Verified];

    private sealed record Row(string What, IReadOnlyList<double> Ms, double OpsPerSecond, string Target, string Note);

    public static async Task RunAsync(bool quick)
    {
        var caseCount = quick ? 20_000 : 200_000;
        var lookups = quick ? 300 : 5_000;
        var pages = quick ? 100 : 1_000;
        var statistics = quick ? 5 : 10;
        var reportFor = TimeSpan.FromSeconds(quick ? 5 : 30);

        await using var platform = new ProcessPlatform("pm_bench_grid", ["identity", "grid"])
        {
            // One resident account from one address sends every report here; the limits are for real clients.
            GatewaySettings = new Dictionary<string, string>
            {
                ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "10000000",
                ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "10000000",
            },
        };
        var started = Stopwatch.GetTimestamp();
        await platform.StartAsync();
        Console.WriteLine($"started identity, grid and the gateway in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        var connectionString = RealServers.PostgresDatabase(platform.DatabaseOf("grid"));
        started = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(connectionString, caseCount, now);
        Console.WriteLine($"loaded {Townships * VillagesPerTownship} villages, {Townships * VillagesPerTownship * GridsPerVillage:N0} grids and {caseCount:N0} cases in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");

        using var admin = await platform.SignInAsync("county.admin");
        // Reads go to the grid process itself ("on a grid service process"); reports through the gateway.
        using var grid = new HttpClient { BaseAddress = platform.Process("grid").Address, Timeout = TimeSpan.FromSeconds(60) };
        grid.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;

        var rows = new List<Row>();
        rows.AddRange(await LocateAsync(connectionString, grid, lookups));
        rows.AddRange(await OpenCasesPageAsync(grid, pages));
        rows.AddRange(await StatisticsAsync(grid, statistics, now));
        rows.AddRange(await SweepAsync(connectionString));
        rows.AddRange(await ReportAsync(platform, reportFor));

        Console.WriteLine();
        Console.WriteLine($"| grid, {caseCount:N0} cases | median | p99 | ops/s | target | note |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var measured = row.Ms.Count > 0;
            Console.WriteLine($"| {row.What} | {(measured ? Ms(Rounds.Median(row.Ms)) : "–")} | {(measured ? Ms(Rounds.Percentile([.. row.Ms], 99)) : "–")} | " +
                $"{(measured ? row.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {row.Target} | {row.Note} |");
        }
    }

    // ---- the county ----

    private static string Township(int t) => $"{County}{101 + t}";

    private static string Village(int v) => $"{Township(v / VillagesPerTownship)}{201 + v % VillagesPerTownship}";

    /// <summary>Grid g's cell: village g / 10's block, serial g % 10 in it (5 across, 2 down).</summary>
    private static (double West, double South) CellOf(int g)
    {
        int village = g / GridsPerVillage, serial = g % GridsPerVillage;
        var column = village % BlocksAcross * 5 + serial % 5;
        var row = village / BlocksAcross * 2 + serial / 5;
        return (West + column * Cell, South + row * Cell);
    }

    private static string GridCode(int g) => $"{Village(g / GridsPerVillage)}-{g % GridsPerVillage + 1:D2}";

    private static string Square(double west, double south)
    {
        string P(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"[{x:F6},{y:F6}]");
        double east = west + Cell, north = south + Cell;
        return $"{{\"type\":\"Polygon\",\"coordinates\":[[{P(west, south)},{P(east, south)},{P(east, north)},{P(west, north)},{P(west, south)}]]}}";
    }

    private static async Task SeedAsync(string connectionString, int caseCount, DateTimeOffset now)
    {
        var random = new Random(13);
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var seen = now.UtcDateTime.AddDays(-400);
        var villages = Townships * VillagesPerTownship;
        await using (var copy = await db.BeginBinaryImportAsync(
            "COPY known_villages (\"Code\", \"Name\", \"SeenAt\", \"Closed\", \"Version\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var v = 0; v < villages; v++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Village(v), NpgsqlDbType.Varchar);
                await copy.WriteAsync($"第{v / VillagesPerTownship + 1}镇第{v % VillagesPerTownship + 1}村", NpgsqlDbType.Varchar);
                await copy.WriteAsync(seen, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
            }
            await copy.CompleteAsync();
        }
        var grids = villages * GridsPerVillage;
        await using (var copy = await db.BeginBinaryImportAsync(
            "COPY grids (\"Id\", \"Code\", \"DivisionCode\", \"Name\", \"Level\", \"CreatedAt\", \"Households\", \"Population\", \"BoundaryGeoJson\", \"Version\", \"PredecessorCodes\", \"SuccessorCodes\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var g = 0; g < grids; g++)
            {
                var (west, south) = CellOf(g);
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(GridCode(g), NpgsqlDbType.Varchar);
                await copy.WriteAsync(Village(g / GridsPerVillage), NpgsqlDbType.Varchar);
                await copy.WriteAsync($"第{g % GridsPerVillage + 1}网格", NpgsqlDbType.Varchar);
                await copy.WriteAsync(2, NpgsqlDbType.Integer);
                await copy.WriteAsync(seen, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(120 + random.Next(80), NpgsqlDbType.Integer);
                await copy.WriteAsync(400 + random.Next(300), NpgsqlDbType.Integer);
                await copy.WriteAsync(Square(west, south), NpgsqlDbType.Text);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        // The PostGIS column from the same GeoJSON the standalone index reads, in one statement.
        await using (var boundaries = new NpgsqlCommand(
            "UPDATE grids SET \"Boundary\" = ST_SetSRID(ST_GeomFromGeoJSON(\"BoundaryGeoJson\"), 4326) WHERE \"BoundaryGeoJson\" IS NOT NULL", db))
        {
            await boundaries.ExecuteNonQueryAsync();
        }

        await using (var copy = await db.BeginBinaryImportAsync(
            "COPY cases (\"Id\", \"Number\", \"DivisionCode\", \"GridCode\", \"OutsideGrids\", \"CategoryCode\", \"Description\", \"Latitude\", \"Longitude\", " +
            "\"Media\", \"Source\", \"ReporterId\", \"FollowToken\", \"Status\", \"ReportedAt\", \"ClosedAt\", \"UpdatedAt\", \"Stage\", \"StageStartedAt\", " +
            "\"DueAt\", \"WentOverdue\", \"Reworks\", \"Extensions\", \"EscalationLevel\", \"Version\") FROM STDIN (FORMAT BINARY)"))
        {
            var year = TimeSpan.FromDays(365).TotalMinutes;
            for (var i = 0; i < caseCount; i++)
            {
                var g = random.Next(grids);
                var (west, south) = CellOf(g);
                var reportedAt = now.UtcDateTime.AddMinutes(-random.NextDouble() * year);
                // About one case in eight is still open; the rest were closed within 2 to 200 hours, or rejected.
                var roll = random.NextDouble();
                var status = roll < 0.12 ? OpenStatuses[random.Next(OpenStatuses.Length)] : roll < 0.14 ? CaseStatus.Rejected : CaseStatus.Closed;
                var open = status is not (CaseStatus.Closed or CaseStatus.Rejected);
                DateTime? closedAt = status == CaseStatus.Closed ? Min(reportedAt.AddHours(2 + random.NextDouble() * 198), now.UtcDateTime) : null;
                var overdue = random.NextDouble() < 0.1;
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(reportedAt), NpgsqlDbType.Uuid);
                await copy.WriteAsync($"{reportedAt:yyyyMMdd}-B{i:D6}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(Village(g / GridsPerVillage), NpgsqlDbType.Varchar);
                await copy.WriteAsync(GridCode(g), NpgsqlDbType.Varchar);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(Categories[random.Next(Categories.Length)], NpgsqlDbType.Varchar);
                await copy.WriteAsync("路面坑洼，影响通行", NpgsqlDbType.Varchar);
                await copy.WriteAsync(south + random.NextDouble() * Cell, NpgsqlDbType.Double);
                await copy.WriteAsync(west + random.NextDouble() * Cell, NpgsqlDbType.Double);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(nameof(CaseSource.Resident), NpgsqlDbType.Varchar);
                await copy.WriteAsync("bench-resident", NpgsqlDbType.Varchar);
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(status.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync(reportedAt, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(copy, closedAt);
                await copy.WriteAsync(closedAt ?? reportedAt, NpgsqlDbType.TimestampTz);
                if (open)
                {
                    var stage = status switch
                    {
                        CaseStatus.Reported => CaseStage.Acceptance,
                        CaseStatus.Accepted or CaseStatus.Dispatched => CaseStage.Handling,
                        _ => CaseStage.Verification,
                    };
                    await copy.WriteAsync(stage.ToString(), NpgsqlDbType.Varchar);
                    await copy.WriteAsync(reportedAt, NpgsqlDbType.TimestampTz);
                    // Due anywhere from ten days ago to ten days ahead: about half the open cases are overdue.
                    await copy.WriteAsync(now.UtcDateTime.AddHours((random.NextDouble() - 0.5) * 480), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                    await copy.WriteNullAsync();
                    await copy.WriteNullAsync();
                }
                await copy.WriteAsync(overdue, NpgsqlDbType.Boolean);
                await copy.WriteAsync(random.NextDouble() < 0.05 ? 1 : 0, NpgsqlDbType.Integer);
                await copy.WriteAsync(random.NextDouble() < 0.05 ? 1 : 0, NpgsqlDbType.Integer);
                await copy.WriteAsync(open && overdue ? 1 + random.Next(3) : 0, NpgsqlDbType.Integer);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
            }
            await copy.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE known_villages; ANALYZE grids; ANALYZE cases", db);
        await analyze.ExecuteNonQueryAsync();
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, DateTime? value)
    {
        if (value is { } at)
        {
            await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }

    private static GridDbContext Context(string connectionString) => new(new DbContextOptionsBuilder<GridDbContext>()
        .UseNpgsql(connectionString, GridModule.ConfigurePostgres).Options);

    // ---- a) locating a point ----

    /// <summary>What the PostGIS locator asks: the deepest active grid whose boundary covers the point.</summary>
    private const string LocateSql =
        "SELECT \"Code\" FROM grids WHERE \"RetiredAt\" IS NULL AND ST_Covers(\"Boundary\", ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)) " +
        "ORDER BY \"Level\" DESC, \"Code\" LIMIT 1";

    private static async Task<List<Row>> LocateAsync(string connectionString, HttpClient grid, int lookups)
    {
        var random = new Random(7);
        var grids = Townships * VillagesPerTownship * GridsPerVillage;
        // One point in twenty lies outside the county's lattice (no grid: the village takes the case).
        var points = Enumerable.Range(0, lookups).Select(_ =>
        {
            if (random.NextDouble() < 0.05)
            {
                return (Lat: South - Cell * random.NextDouble(), Lon: West + random.NextDouble() * BlocksAcross * 5 * Cell);
            }
            var (west, south) = CellOf(random.Next(grids));
            return (Lat: south + Cell * (0.01 + 0.98 * random.NextDouble()), Lon: west + Cell * (0.01 + 0.98 * random.NextDouble()));
        }).ToList();
        var rows = new List<Row>();
        var answers = new List<string?[]>();

        // PostGIS by hand: one open connection, a prepared statement, nothing else in the way.
        await using (var db = new NpgsqlConnection(connectionString))
        {
            await db.OpenAsync();
            await using var command = new NpgsqlCommand(LocateSql, db);
            var lat = command.Parameters.Add("lat", NpgsqlDbType.Double);
            var lon = command.Parameters.Add("lon", NpgsqlDbType.Double);
            await command.PrepareAsync();
            var (ms, ops, found) = await TimeEachAsync(points, async p =>
            {
                (lat.Value, lon.Value) = (p.Lat, p.Lon);
                return (string?)await command.ExecuteScalarAsync();
            });
            answers.Add(found);
            rows.Add(new Row("locate a point: PostGIS, SQL by hand (Npgsql, prepared)", ms, ops, "p99 < 5 ms", "GiST index on the boundary"));
        }

        // The service's own PostGIS locator, on a context and a pooled connection per lookup as a request runs it.
        {
            var (ms, ops, found) = await TimeEachAsync(points, async p =>
            {
                await using var db = Context(connectionString);
                return await new PostGisGridLocator(db).LocateAsync(p.Lat, p.Lon, CancellationToken.None);
            });
            answers.Add(found);
            rows.Add(new Row("locate a point: the service's PostGisGridLocator (GridDbContext)", ms, ops, "p99 < 5 ms", "a context and a pooled connection per lookup"));
        }

        // The standalone host's in-memory index (built once from the database, then every lookup in memory).
        {
            var index = new NtsGridIndex();
            await using var db = Context(connectionString);
            var build = Stopwatch.GetTimestamp();
            await index.LocateAsync(db, points[0].Lat, points[0].Lon, CancellationToken.None);
            var built = Stopwatch.GetElapsedTime(build).TotalMilliseconds;
            var (ms, ops, found) = await TimeEachAsync(points, p => index.LocateAsync(db, p.Lat, p.Lon, CancellationToken.None));
            answers.Add(found);
            rows.Add(new Row("locate a point: NetTopologySuite in memory (NtsGridIndex)", ms, ops, "p99 < 5 ms",
                $"STR-tree of prepared polygons; built in {built:F0} ms"));
        }

        // The service's endpoint, once it serves one (GET /locate is built beside this benchmark).
        using (var probe = await grid.GetAsync(LocatePath(points.First(p => p.Lat >= South))))
        {
            if (probe.StatusCode == HttpStatusCode.OK)
            {
                var (ms, ops, _) = await TimeEachAsync(points, async p =>
                {
                    using var response = await grid.GetAsync(LocatePath(p));
                    return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound ? (string?)null
                        : throw new InvalidOperationException($"locate answered {(int)response.StatusCode}");
                });
                rows.Add(new Row("locate a point: GET /api/v1/grid/locate on the grid process", ms, ops, "p99 < 5 ms", "HTTP, token checked"));
            }
            else
            {
                rows.Add(new Row("locate a point: GET /api/v1/grid/locate on the grid process", [], 0, "p99 < 5 ms",
                    $"not measured: answered {(int)probe.StatusCode} (not served on this branch)"));
            }
        }

        var disagreements = Enumerable.Range(0, points.Count).Count(i => answers.Any(a => a[i] != answers[0][i]));
        if (disagreements > 0)
        {
            throw new InvalidOperationException($"The locators disagree on {disagreements} of {points.Count} points.");
        }
        Console.WriteLine($"located {points.Count:N0} points; every locator gave the same grid for each ({answers[0].Count(a => a is null)} outside every grid)");
        return rows;
    }

    private static string LocatePath((double Lat, double Lon) p) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/grid/locate?lat={p.Lat:R}&lon={p.Lon:R}");

    // ---- b) a township's open cases page ----

    private static async Task<List<Row>> OpenCasesPageAsync(HttpClient grid, int pages)
    {
        var townships = Enumerable.Range(0, pages).Select(i => Township(i % Townships)).ToList();
        var (ms, ops, _) = await TimeEachAsync(townships, async t =>
        {
            using var response = await grid.GetAsync(PagePath(t));
            return response.IsSuccessStatusCode ? (string?)null : throw new InvalidOperationException($"the page answered {(int)response.StatusCode}");
        });
        return [new Row("a township's open cases, page 1 of 20 (GET /cases on the grid process)", ms, ops, "p99 < 50 ms", "HTTP, token checked, JSON, with the total")];
    }

    private static string PagePath(string township) => $"/api/v1/grid/cases?under={township}&open=true&page=1&pageSize=20";

    // ---- statistics ----

    private static async Task<List<Row>> StatisticsAsync(HttpClient grid, int times, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var year = $"from={today.AddDays(-365):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var rows = new List<Row>();
        foreach (var (what, path) in new[]
        {
            ("statistics: the county by township, a year", $"/api/v1/grid/statistics?under={County}&{year}&groupBy=township"),
            ("statistics: a township by grid, a year", $"/api/v1/grid/statistics?under={Township(3)}&{year}&groupBy=grid"),
            ("statistics: the county's series by month, a year", $"/api/v1/grid/statistics/series?under={County}&{year}&interval=month"),
        })
        {
            var (ms, ops, _) = await TimeEachAsync(Enumerable.Repeat(path, times).ToList(), async p =>
            {
                using var response = await grid.GetAsync(p);
                return response.IsSuccessStatusCode ? (string?)null : throw new InvalidOperationException($"{p} answered {(int)response.StatusCode}");
            });
            rows.Add(new Row(what, ms, ops, "–", "HTTP on the grid process"));
        }
        return rows;
    }

    // ---- c) the escalation sweep ----

    private static async Task<List<Row>> SweepAsync(string connectionString)
    {
        // One whole pass of the service's sweep: every open case past due is read on the (Status, DueAt) index and each
        // one due a step is escalated in its own transaction with its event, as every replica does each minute.
        await using var db = Context(connectionString);
        var options = new TimeLimitOptions();
        var sweep = new CaseEscalationSweep(db, new WorkingCalendarStore(options, TimeProvider.System), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CaseEscalationSweep>.Instance);
        var started = Stopwatch.GetTimestamp();
        var escalated = await sweep.RunOnceAsync(CancellationToken.None);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        var again = await sweep.RunOnceAsync(CancellationToken.None);
        var quietMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return
        [
            new Row($"escalation sweep over all open cases ({escalated:N0} escalated)", [ms], 1000 / ms, "< 10 s", "one pass; 200 escalations a transaction, an event each"),
            new Row($"  the next pass ({again:N0} escalated)", [quietMs], 1000 / quietMs, "–", "the cases whose next tier is due: long-overdue cases climb one tier a pass"),
        ];
    }

    // ---- d) reporting through the gateway ----

    private static async Task<List<Row>> ReportAsync(ProcessPlatform platform, TimeSpan duration)
    {
        using var resident = await platform.SignInAsync("resident");
        var random = new Random(11);
        var grids = Townships * VillagesPerTownship * GridsPerVillage;
        object Body()
        {
            var (west, south) = CellOf(random.Next(grids));
            return new
            {
                category = Categories[random.Next(Categories.Length)],
                description = "路灯不亮，夜间行人看不清路",
                latitude = south + Cell * (0.1 + 0.8 * random.NextDouble()),
                longitude = west + Cell * (0.1 + 0.8 * random.NextDouble()),
            };
        }
        using (var probe = await resident.PostAsJsonAsync("/api/v1/grid/cases", Body()))
        {
            if (probe.StatusCode != HttpStatusCode.Created)
            {
                return [new Row("report a case through the gateway (POST /cases, 8 at once)", [], 0, "cases/s and p99",
                    $"not measured: answered {(int)probe.StatusCode} (not served on this branch)")];
            }
        }
        var latencies = new List<double>();
        var failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                object body;
                lock (random)
                {
                    body = Body();
                }
                var sent = Stopwatch.GetTimestamp();
                using var response = await resident.PostAsJsonAsync("/api/v1/grid/cases", body);
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                lock (latencies)
                {
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        latencies.Add(ms);
                    }
                    else
                    {
                        failures++;
                    }
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return [new Row("report a case through the gateway (POST /cases, 8 at once)", latencies, latencies.Count / seconds, "cases/s and p99",
            $"{failures} not 201; locates, checks duplicates, writes the case and its event")];
    }

    // ---- timing ----

    /// <summary>Runs <paramref name="operation"/> for each item in turn (after one untimed warm-up call); each call's milliseconds, the calls per second, and each answer.</summary>
    private static async Task<(List<double> Ms, double OpsPerSecond, string?[] Answers)> TimeEachAsync<T>(IReadOnlyList<T> items, Func<T, Task<string?>> operation)
    {
        await operation(items[0]);
        var ms = new List<double>(items.Count);
        var answers = new string?[items.Count];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < items.Count; i++)
        {
            var call = Stopwatch.GetTimestamp();
            answers[i] = await operation(items[i]);
            ms.Add(Stopwatch.GetElapsedTime(call).TotalMilliseconds);
        }
        return (ms, items.Count / Stopwatch.GetElapsedTime(started).TotalSeconds, answers);
    }

    private static string Ms(double value) => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";
}
