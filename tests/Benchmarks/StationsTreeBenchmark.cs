using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations;
using PracticeMesh.TestSupport;
using Xunit;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 4's numbers: a demo county of 1 centre, 25 institutes and 400 stations; subtree reads of a township and of
/// the whole county, median and p99, cached and uncached; importing 5,000 rows. On SQLite and on PostgreSQL, through
/// the service's real HTTP pipeline (in-memory transport, so no socket cost).
/// </summary>
public static class StationsTreeBenchmark
{
    private const string Path = "/api/v1/stations";
    private const int Reads = 200;

    public static async Task RunAsync()
    {
        var sqlite = new ServiceFactory<StationsModule>();
        await ((IAsyncLifetime)sqlite).InitializeAsync();
        await MeasureAsync(sqlite, "SQLite");
        await ((IAsyncLifetime)sqlite).DisposeAsync();
        var postgres = new PostgresServiceFactory<StationsModule>("stations");
        await ((IAsyncLifetime)postgres).InitializeAsync();
        await MeasureAsync(postgres, "PostgreSQL");
        await ((IAsyncLifetime)postgres).DisposeAsync();
    }

    private static async Task MeasureAsync(ServiceFactory<StationsModule> factory, string database)
    {
        using var client = factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

        // The demo county: 25 institutes of 16 stations each.
        var demo = Csv("321381", institutes: 25, stationsPerInstitute: 16);
        var importDemo = await TimeAsync(() => ImportAsync(client, demo));
        foreach (var (what, code) in new[] { ("township", "321381101"), ("county", "321381") })
        {
            var cached = new List<double>();
            await client.GetAsync($"{Path}/{code}/subtree", HttpStatusCode.OK);
            for (var i = 0; i < Reads; i++)
            {
                cached.Add(await TimeAsync(() => client.GetAsync($"{Path}/{code}/subtree", HttpStatusCode.OK)));
            }
            var uncached = new List<double>();
            for (var i = 0; i < Reads / 4; i++)
            {
                // A change makes the next read load from the database.
                using var rename = await client.PutAsJsonAsync($"{Path}/321381101201", new { name = $"station {i}" }, HttpAssertions.Json);
                rename.EnsureSuccessStatusCode();
                uncached.Add(await TimeAsync(() => client.GetAsync($"{Path}/{code}/subtree", HttpStatusCode.OK)));
            }
            Console.WriteLine($"| {database} | subtree of the {what} ({code}) | cached median {Percentile(cached, 50):F2} ms, p99 {Percentile(cached, 99):F2} ms | uncached median {Percentile(uncached, 50):F2} ms, p99 {Percentile(uncached, 99):F2} ms |");
        }

        // 5,000 rows: 1 centre, 25 institutes, 4,974 stations, into a county of its own.
        var big = Csv("321382", institutes: 25, stationsPerInstitute: 199).Split('\n').Take(5001);
        var bigCsv = string.Join('\n', big) + "\n";
        var importBig = await TimeAsync(() => ImportAsync(client, bigCsv));
        var again = await TimeAsync(() => ImportAsync(client, bigCsv));
        Console.WriteLine($"| {database} | import | demo county (426 rows) {importDemo:F0} ms | 5,000 rows {importBig:F0} ms; the same 5,000 again (no change) {again:F0} ms |");
    }

    private static string Csv(string county, int institutes, int stationsPerInstitute)
    {
        var csv = new StringBuilder("code,name,kind\n");
        csv.Append($"{county},{county}新时代文明实践中心,CountyCentre\n");
        for (var t = 1; t <= institutes; t++)
        {
            var township = $"{county}{100 + t}";
            csv.Append($"{township},第{t}镇新时代文明实践所,Institute\n");
            for (var v = 1; v <= stationsPerInstitute; v++)
            {
                csv.Append($"{township}{200 + v:000},第{t}镇第{v}村新时代文明实践站,Village\n");
            }
        }
        return csv.ToString();
    }

    private static async Task ImportAsync(HttpClient client, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await client.PostAsync($"{Path}/import", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
