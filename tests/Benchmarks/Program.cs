using PracticeMesh.Benchmarks;
using PracticeMesh.Benchmarks.SideBySide;

// Rerunnable benchmarks; each prints its figures. Run: tests/Benchmarks/run.sh [name] (see docs/performance.md).
//   side-by-side [--quick] [--only G1,M1]   issue 7's comparisons and their table
//   grid [--quick]                          issue 13's county of 4,000 grids and 200,000 cases
//   assessment [--quick]                    issue 14's county year: events through the inbox, the year rebuilt, rankings
//   cells [--quick]                         issue 15's township cells: routing cost of two cells against one, the county read across cells
//   console [--quick] [--screenshots DIR]   issue 16's web console on a 400-station county: the dashboard's first paint, each page's API reads;
//                                           with DIR, the README's screenshots (docs/images)
var name = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
if (name == "side-by-side")
{
    var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
    var findings = await SideBySideBenchmark.RunAsync(quick: args.Contains("--quick"), only);
    // A missed goal is a result; a comparison that could not run is a failure.
    return findings.Any(f => f.Failed) ? 1 : 0;
}
var benchmarks = new Dictionary<string, Func<Task>>
{
    ["stations-tree"] = StationsTreeBenchmark.RunAsync,
    ["activities"] = ActivitiesBenchmark.RunAsync,
    ["volunteers"] = VolunteersBenchmark.RunAsync,
    ["standalone"] = StandaloneBenchmark.RunAsync,
    ["grid"] = () => GridBenchmark.RunAsync(quick: args.Contains("--quick")),
    ["assessment"] = () => AssessmentBenchmark.RunAsync(quick: args.Contains("--quick")),
    ["cells"] = () => CellsBenchmark.RunAsync(quick: args.Contains("--quick")),
    ["console"] = () => ConsoleBenchmark.RunAsync(quick: args.Contains("--quick"), screenshots: args.SkipWhile(a => a != "--screenshots").Skip(1).FirstOrDefault()),
};
if (name != "all" && !benchmarks.ContainsKey(name))
{
    Console.Error.WriteLine($"Unknown benchmark '{name}'. Known: side-by-side, {string.Join(", ", benchmarks.Keys)}");
    return 2;
}
foreach (var (key, run) in benchmarks.Where(b => name == "all" || b.Key == name))
{
    Console.WriteLine($"## {key}  ({DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores)");
    await run();
}
return 0;
