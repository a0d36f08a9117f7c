using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// S1: the standalone host (the README's run command) from process start to /health/ready, to the demo county
/// loaded, and its resident memory then. Several cold starts, each on a fresh data folder.
/// </summary>
public static class StandaloneBenchmark
{
    private const int Rounds = 5;

    public static async Task RunAsync()
    {
        var (ready, loaded, resident) = await ColdStartsAsync(Rounds);
        Console.WriteLine($"| standalone, {Rounds} cold starts | ready median {Median(ready):F0} ms (max {ready.Max():F0}) | demo county loaded median {Median(loaded):F0} ms | resident memory median {Median(resident):F0} MB (max {resident.Max():F0}) |");
    }

    /// <summary>S1 for the side-by-side table: time to ready and resident memory against their goals.</summary>
    public static async Task<IReadOnlyList<Finding>> FindingsAsync(SideBySideRun run)
    {
        var rounds = run.Quick ? 2 : Rounds;
        var (ready, loaded, resident) = await ColdStartsAsync(rounds);
        var (readyMs, megabytes) = (Median(ready), Median(resident));
        return
        [
            new Finding("S1", $"standalone host (the README's run command), {rounds} cold starts: process start to /health/ready, and resident memory with the demo county loaded",
                $"ready {readyMs:N0} ms (max {ready.Max():N0}), {megabytes:N0} MB", "≤ 3 s and ≤ 400 MB", readyMs <= 3000 && megabytes <= 400, [],
                $"demo county loaded at {Median(loaded):N0} ms (median)."),
        ];
    }

    private static async Task<(List<double> Ready, List<double> Loaded, List<double> Resident)> ColdStartsAsync(int rounds)
    {
        var ready = new List<double>();
        var loaded = new List<double>();
        var resident = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var data = Path.Combine(Path.GetTempPath(), "practicemesh-bench", Guid.NewGuid().ToString("N"));
            var address = ServiceProcess.NewAddress();
            var started = Stopwatch.GetTimestamp();
            await using (var host = ServiceProcess.Start("standalone", "services/Standalone", "PracticeMesh.Standalone", new Dictionary<string, string>
            {
                ["Database__DataDirectory"] = data,
                ["Auth__Issuer"] = address.ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
            }, address))
            {
                await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(1), poll: TimeSpan.FromMilliseconds(20));
                ready.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await WaitForDemoAsync(host.Address);
                loaded.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                resident.Add(ResidentMegabytes(host.ProcessId));
            }
            Directory.Delete(data, recursive: true);
        }
        return (ready, loaded, resident);
    }

    /// <summary>The demo lecture reaches the assessment last, so its arrival means the whole demo is in.</summary>
    private static async Task WaitForDemoAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        var token = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "county.admin", ["password"] = "PracticeMesh-demo-1",
            }));
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()
                : null;
        }, "a demo token");
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await http.GetAsync("/api/v1/assessment/months/" + DateTimeOffset.UtcNow.AddHours(-3).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM") + "?under=321324");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Contains("\"completedActivities\":1") ? body : null;
        }, "the demo county");
    }

    private static double ResidentMegabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
