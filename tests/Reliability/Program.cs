using System.Diagnostics;
using System.Globalization;
using PracticeMesh.Reliability;
using PracticeMesh.TestSupport;

// The reliability run (docs/reliability.md): the distributed mode on servers of its own, a county's activities
// through the gateway while the servers fail, then what must hold afterwards, then malformed requests to every
// operation. Run it with tests/Reliability/run.sh [--quick] [--activities N] [--workers N] [--operations N].
var quick = args.Contains("--quick");
var activities = Option("--activities") ?? (quick ? 60 : 2000);
var workers = Option("--workers") ?? (quick ? 6 : 12);
// --quick sends the variants to a sample of the operations (every n-th), the full run to all of them.
var sampledOperations = Option("--operations") ?? (quick ? 12 : int.MaxValue);
IReadOnlyList<Fault> faults = quick
    ? [Faults.RabbitMqStopped(TimeSpan.FromSeconds(5), 0.2), Faults.VolunteersKilled(0.5)]
    :
    [
        Faults.RabbitMqStopped(TimeSpan.FromSeconds(20), 0.1),
        Faults.PostgresRestarted(0.3),
        Faults.VolunteersKilled(0.5),
        Faults.RedisStopped(TimeSpan.FromSeconds(20), 0.7),
    ];

Console.WriteLine($"## reliability run ({(quick ? "quick" : "full")}): {activities} activities, {workers} partners at once, " +
    $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
var run = Stopwatch.StartNew();
var traffic = new Traffic();
var failed = new List<string>();
await using (var hosts = new Hosts())
{
    await hosts.StartAsync();
    Console.WriteLine($"started the five services, identity and the gateway in {run.Elapsed.TotalSeconds:F0} s; host logs in {ServiceProcess.LogDirectory}");
    using var http = hosts.Platform.CreateClient();
    var partner = new Partner(http, traffic, "county.admin");
    var workload = new Workload(partner, activities, workers);
    await workload.RegisterStationsAsync();

    var started = Stopwatch.GetTimestamp();
    var work = workload.RunAsync();
    var windows = await Faults.RunAsync(faults, hosts, workload, work, traffic);
    await work;
    var workTime = Stopwatch.GetElapsedTime(started);
    Console.WriteLine($"completed {workload.CompletedCount} of {activities} activities in {workTime.TotalSeconds:F0} s");

    traffic.Window = "checks afterwards";
    var checks = new Checks(hosts, partner);
    var settled = await checks.WaitUntilSettledAsync(TimeSpan.FromMinutes(5));
    var ledgers = await checks.LedgersAsync(workload.Completed, workers);
    var assessment = await checks.AssessmentAsync(workload.Completed);
    var unsent = await checks.UnsentOutboxRowsAsync();
    var queues = await Servers.QueuesAsync();
    var errorQueues = queues.Where(q => q.IsErrorQueue && q.Ready + q.Unacknowledged > 0).ToList();
    var busyQueues = queues.Where(q => !q.IsErrorQueue && !q.IsSkippedQueue && q.Ready + q.Unacknowledged > 0).ToList();

    traffic.Window = "malformed requests";
    var token = await PlatformTokens.PasswordAsync(http, "county.admin", PlatformTokens.DemoPassword);
    var malformed = new Malformed(http, token);
    var operations = await malformed.OperationsAsync(hosts.Platform.Services.Select(s => hosts.Current(s).Address),
        ["/api/v1/stations", "/api/v1/volunteers", "/api/v1/activities", "/api/v1/grid", "/api/v1/assessment", "/api/v1/identity"]);
    var every = Math.Max(1, (int)Math.Ceiling(operations.Count / (double)Math.Min(sampledOperations, operations.Count)));
    var sample = operations.Where((_, i) => i % every == 0).ToList();
    var badRequests = await malformed.SendAsync(sample, parallel: 4);

    Console.WriteLine();
    Console.WriteLine("| window | requests | 2xx | 4xx (404 while waiting for an event) | 503 with Retry-After | failures (500, 502, 504, no answer, 503 without Retry-After) |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var window in traffic.Windows.Where(w => w != "malformed requests"))
    {
        var fault = windows.FirstOrDefault(f => f.Name == window);
        var label = fault is null ? window : $"{window} (ready again after {fault.UntilReady.TotalSeconds:F0} s)";
        Console.WriteLine($"| {label} | {traffic.Count(window, _ => true)} | {traffic.Count(window, s => s is >= 200 and < 300)} | " +
            $"{traffic.Count(window, s => s is >= 400 and < 500)} | {traffic.Count(window, s => s == 503) - traffic.FailuresOf(window).Where(f => f.Failure.StartsWith("503", StringComparison.Ordinal)).Sum(f => f.Count)} | " +
            $"{traffic.Failures(window)} |");
    }
    foreach (var window in traffic.Windows.Where(w => traffic.Failures(w) > 0))
    {
        Console.WriteLine($"failures {window}: " + string.Join("; ", traffic.FailuresOf(window).Take(12).Select(f => $"{f.Failure} ×{f.Count}")));
    }

    Console.WriteLine();
    Console.WriteLine("| check | result |");
    Console.WriteLine("|---|---|");
    Row("activities completed through the gateway", $"{workload.CompletedCount} of {activities} ({workTime.TotalSeconds:F0} s)", workload.CompletedCount == activities);
    Row("participants credited exactly once", $"{ledgers.CreditedOnce} of {ledgers.Participants}", ledgers.CreditedOnce == ledgers.Participants);
    Row("lost credits", ledgers.Lost.ToString(CultureInfo.InvariantCulture), ledgers.Lost == 0);
    Row("doubled credits", ledgers.Doubled.ToString(CultureInfo.InvariantCulture), ledgers.Doubled == 0);
    Row("ledgers with other entries or hours", ledgers.WrongHours.ToString(CultureInfo.InvariantCulture), ledgers.WrongHours == 0);
    Row("assessment: completed activities", $"{assessment.CompletedActivities} (expected {assessment.ExpectedActivities})", assessment.CompletedActivities == assessment.ExpectedActivities);
    Row("assessment: participants, hours", $"{assessment.Participants}, {assessment.Hours} (expected {assessment.ExpectedParticipants}, {assessment.ExpectedHours})",
        assessment.Participants == assessment.ExpectedParticipants && assessment.Hours == assessment.ExpectedHours);
    Row("unsent outbox rows", $"{unsent.Values.Sum()}" + (unsent.Values.Sum() > 0 ? $" ({string.Join(", ", unsent.Where(u => u.Value > 0).Select(u => $"{u.Key} {u.Value}"))})" : "") +
        $" (settled after {settled.TotalSeconds:F0} s)", unsent.Values.Sum() == 0);
    Row("messages in error queues", errorQueues.Count == 0 ? "0" : string.Join(", ", errorQueues.Select(q => $"{q.Name} {q.Ready + q.Unacknowledged}")), errorQueues.Count == 0);
    Row("messages left in consumer queues", busyQueues.Count == 0 ? "0" : string.Join(", ", busyQueues.Select(q => $"{q.Name} {q.Ready + q.Unacknowledged}")), busyQueues.Count == 0);
    Row("failed answers during the workload and checks", traffic.TotalFailures.ToString(CultureInfo.InvariantCulture), traffic.TotalFailures == 0);
    var serverErrors = badRequests.ServerErrors.Count;
    Row($"malformed requests: {badRequests.Sent} ({Malformed.VariantCount} variants × {badRequests.Operations} of {operations.Count} operations)",
        $"{serverErrors} answered 5xx or not at all; statuses " + string.Join(", ", badRequests.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")), serverErrors == 0);
    foreach (var example in workload.Abandoned.Take(5).Concat(ledgers.Examples))
    {
        Console.WriteLine($"  {example}");
    }
    if (serverErrors > 0)
    {
        Console.WriteLine();
        Console.WriteLine("malformed requests answered 5xx:");
        foreach (var group in badRequests.ServerErrors.GroupBy(e => string.Join(' ', e.Split(' ').Take(3))).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key}: {group.Count()} — e.g. {group.First()}");
        }
    }
}
Console.WriteLine();
Console.WriteLine(failed.Count == 0
    ? $"Reliability run passed in {run.Elapsed.TotalMinutes:F1} min."
    : $"Reliability run FAILED ({string.Join("; ", failed)}) in {run.Elapsed.TotalMinutes:F1} min.");
return failed.Count == 0 ? 0 : 1;

void Row(string check, string result, bool ok)
{
    Console.WriteLine($"| {check} | {result}{(ok ? "" : " **FAILED**")} |");
    if (!ok)
    {
        failed.Add(check);
    }
}

int? Option(string name) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
