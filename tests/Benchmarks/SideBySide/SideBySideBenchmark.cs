using System.Diagnostics;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>
/// Issue 7's comparisons, each a ratio or figure measured in one run with its sides interleaved round by round:
/// the gateway (G1–G4), the event pipeline (M1, M2), the write path (W1) and the standalone host (S1). Prints one
/// table of results against their goals and one of every side's medians.
/// </summary>
public static class SideBySideBenchmark
{
    /// <summary>A step of the run: the findings it produces, and whether it needs the distributed platform.</summary>
    private sealed record Step(string[] Ids, bool NeedsPlatform, Func<SideBySideRun, Task<IReadOnlyList<Finding>>> RunAsync);

    private static readonly Step[] Steps =
    [
        new(["G1", "G2", "G3", "G4"], true, GatewayComparisons.RunAsync),
        new(["W1"], true, WritePathComparison.RunAsync),
        new(["M2"], true, EventPipelineLatency.RunAsync),
        new(["M1"], false, MessagingComparison.RunAsync),
        new(["S1"], false, StandaloneBenchmark.FindingsAsync),
    ];

    /// <param name="only">Finding ids to run (e.g. "G1,M1"); all when empty.</param>
    public static async Task<IReadOnlyList<Finding>> RunAsync(bool quick, IReadOnlyCollection<string> only)
    {
        var run = new SideBySideRun { Quick = quick };
        var steps = Steps.Where(s => only.Count == 0 || s.Ids.Any(id => only.Contains(id, StringComparer.OrdinalIgnoreCase))).ToList();
        var findings = new List<Finding>();
        var started = Stopwatch.GetTimestamp();
        Console.WriteLine($"{(quick ? "quick" : "full")} run: {run.Rounds} rounds of {run.PerSide.TotalSeconds:F0} s per side");
        // The platform's steps first, then it stops, so the steps that start their own hosts have the machine.
        try
        {
            if (steps.Any(s => s.NeedsPlatform))
            {
                await run.StartPlatformAsync();
                Console.WriteLine($"platform started and county imported at {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            }
            foreach (var step in steps.Where(s => s.NeedsPlatform))
            {
                findings.AddRange(await RunStepAsync(step, run, started));
            }
        }
        finally
        {
            await run.StopPlatformAsync();
        }
        foreach (var step in steps.Where(s => !s.NeedsPlatform))
        {
            findings.AddRange(await RunStepAsync(step, run, started));
        }
        Console.WriteLine();
        Console.WriteLine(Table(findings, quick));
        return findings;
    }

    private static async Task<IReadOnlyList<Finding>> RunStepAsync(Step step, SideBySideRun run, long started)
    {
        IReadOnlyList<Finding> results;
        try
        {
            results = await step.RunAsync(run);
        }
        catch (Exception ex)
        {
            // One broken comparison must not hide the others' figures; the command still fails at the end.
            Console.Error.WriteLine($"{string.Join(", ", step.Ids)} failed: {ex}");
            var reason = ex.Message.Split('\n')[0];
            results = step.Ids.Select(id => new Finding(id, "failed", "error", "—", false, [], reason) { Failed = true }).ToList();
        }
        foreach (var finding in results)
        {
            Console.WriteLine($"{finding.Id}: {finding.Result} (goal {finding.Goal}, {(finding.Met ? "met" : "not met")}) at {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
        }
        return results;
    }

    /// <summary>The results as Markdown: one line per finding, then every side's medians.</summary>
    public static string Table(IReadOnlyList<Finding> findings, bool quick)
    {
        var lines = new List<string>
        {
            $"Side by side, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, {(quick ? "--quick" : "full")} run",
            "",
            "| | comparison | result | goal | met |",
            "|---|---|---|---|---|",
        };
        lines.AddRange(findings.Select(f => $"| {f.Id} | {f.What} | {f.Result} | {f.Goal} | {(f.Met ? "yes" : "**no**")} |"));
        lines.AddRange(["", "| | side | ops/s | p50 | p99 | CPU per op |", "|---|---|---|---|---|---|"]);
        foreach (var finding in findings)
        {
            foreach (var side in finding.Sides)
            {
                var m = side.Median;
                lines.Add($"| {finding.Id} | {side.Name} | {Figure(m.OpsPerSecond, "N0")} | {Ms(m.P50Ms)} | {Ms(m.P99Ms)} | {Ms(m.CpuMsPerOp, "F3")} |");
            }
        }
        var notes = findings.Where(f => f.Note is not null).Select(f => $"- {f.Id}: {f.Note}").ToList();
        if (notes.Count > 0)
        {
            lines.Add("");
            lines.AddRange(notes);
        }
        return string.Join('\n', lines);
    }

    private static string Figure(double value, string format) => double.IsNaN(value) ? "–" : Rounds.Format(value, format);

    private static string Ms(double value, string format = "F2") => double.IsNaN(value) ? "–" : $"{Rounds.Format(value, format)} ms";
}
