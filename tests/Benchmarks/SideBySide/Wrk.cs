using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>What wrk printed for one run.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms, long Requests, long NonSuccess, string Output);

/// <summary>Runs wrk (Debian's, installed by tests/Benchmarks/run.sh) and reads its figures.</summary>
public static partial class Wrk
{
    /// <param name="script">A Lua script under tests/Benchmarks, or none for plain GETs of <paramref name="url"/>.</param>
    /// <param name="environment">Read by the script with os.getenv.</param>
    public static async Task<WrkResult> RunAsync(Uri url, int connections, TimeSpan duration, int threads = 2,
        IReadOnlyDictionary<string, string>? headers = null, string? script = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var arguments = new List<string>
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "--timeout", "10s",
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            arguments.AddRange(["-H", $"{name}: {value}"]);
        }
        if (script is not null)
        {
            arguments.AddRange(["-s", Path.Combine(ServiceProcess.RepositoryRoot, "tests", "Benchmarks", script)]);
        }
        arguments.Add(url.ToString());
        var info = new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["WRK_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        info.Environment["WRK_CONNECTIONS"] = connections.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (is it installed?).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {await stderr}\n{output}");
        }
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
        {
            Console.WriteLine(output);
        }
        return new WrkResult(
            double.Parse(Match(output, RateLine()), CultureInfo.InvariantCulture),
            Latency(output, "50"), Latency(output, "90"), Latency(output, "99"),
            long.Parse(Match(output, RequestsLine()), CultureInfo.InvariantCulture),
            NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            output);
    }

    private static string Match(string output, Regex pattern) =>
        pattern.Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"wrk printed no {pattern}:\n{output}");

    /// <summary>wrk's percentile in milliseconds (it prints us, ms or s).</summary>
    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, $@"\s{percentile}%\s+([\d.]+)(us|ms|s)\b");
        if (!m.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percentile}% latency:\n{output}");
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessLine();
}
