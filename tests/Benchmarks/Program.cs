using PracticeMesh.Benchmarks;

// Rerunnable benchmarks; each prints its figures. Run: tests/Benchmarks/run.sh [name]
var name = args.FirstOrDefault() ?? "all";
var benchmarks = new Dictionary<string, Func<Task>>
{
    ["stations-tree"] = StationsTreeBenchmark.RunAsync,
    ["activities"] = ActivitiesBenchmark.RunAsync,
    ["volunteers"] = VolunteersBenchmark.RunAsync,
    ["standalone"] = StandaloneBenchmark.RunAsync,
};
if (name != "all" && !benchmarks.ContainsKey(name))
{
    Console.Error.WriteLine($"Unknown benchmark '{name}'. Known: {string.Join(", ", benchmarks.Keys)}");
    return 2;
}
foreach (var (key, run) in benchmarks.Where(b => name == "all" || b.Key == name))
{
    Console.WriteLine($"## {key}  ({DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores)");
    await run();
}
return 0;
