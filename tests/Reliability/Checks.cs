using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Reliability;

public sealed record LedgerResult(int Participants, int CreditedOnce, int Lost, int Doubled, int WrongHours, IReadOnlyList<string> Examples);

public sealed record AssessmentResult(int CompletedActivities, int ExpectedActivities, int Participants, int ExpectedParticipants,
    decimal Hours, decimal ExpectedHours)
{
    public bool Matches => CompletedActivities == ExpectedActivities && Participants == ExpectedParticipants && Hours == ExpectedHours;
}

/// <summary>What must hold once the platform has settled: read through the API as a partner would, and in the databases and the broker.</summary>
public sealed class Checks(Hosts hosts, Partner partner)
{
    /// <summary>Unsent outbox rows per service database (a service without an outbox table counts none).</summary>
    public async Task<IReadOnlyDictionary<string, long>> UnsentOutboxRowsAsync()
    {
        var result = new Dictionary<string, long>();
        foreach (var service in hosts.Platform.Services)
        {
            await using var connection = new NpgsqlConnection(RealServers.PostgresDatabase(hosts.Platform.DatabaseOf(service)));
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
            try
            {
                result[service] = (long)(await count.ExecuteScalarAsync())!;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                result[service] = 0;
            }
        }
        return result;
    }

    /// <summary>
    /// Waits until no outbox row is unsent and every consumer queue is empty with nothing unacknowledged (so every
    /// event has been handled or has gone to an error queue), or until <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan> WaitUntilSettledAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var calm = 0;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var unsent = (await UnsentOutboxRowsAsync()).Values.Sum();
            var busy = (await Servers.QueuesAsync()).Where(q => !q.IsErrorQueue && !q.IsSkippedQueue).Sum(q => q.Ready + q.Unacknowledged);
            // Twice in a row: a relay may be between claiming a row and publishing it.
            calm = unsent == 0 && busy == 0 ? calm + 1 : 0;
            if (calm == 2)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Every participant's ledger, through the gateway: exactly one credit for the activity, of the hours served.</summary>
    public async Task<LedgerResult> LedgersAsync(IReadOnlyCollection<HeldActivity> activities, int parallel)
    {
        var participations = activities.SelectMany(a => a.Participants.Select(p => (Activity: a, Participant: p))).ToList();
        int once = 0, lost = 0, doubled = 0, wrong = 0;
        var examples = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(participations, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) =>
        {
            var ledger = await partner.GetAsync($"/api/v1/volunteers/{item.Participant.VolunteerId}/hours");
            if (ledger.Status != 200)
            {
                throw new UnexpectedAnswerException($"ledger of {item.Participant.VolunteerId} answered {ledger.Status}: {Partner.Shorten(ledger.Body)}");
            }
            var entries = ledger.Json.GetProperty("entries").EnumerateArray().ToList();
            var credits = entries.Count(e => e.GetProperty("kind").GetString() == "ActivityCredit"
                && e.GetProperty("activityId").ValueKind != System.Text.Json.JsonValueKind.Null
                && e.GetProperty("activityId").GetGuid() == item.Activity.Id);
            var total = ledger.Json.GetProperty("totalHours").GetDecimal();
            string? problem = null;
            switch (credits)
            {
                case 0:
                    Interlocked.Increment(ref lost);
                    problem = "no credit";
                    break;
                case > 1:
                    Interlocked.Increment(ref doubled);
                    problem = $"{credits} credits";
                    break;
                default:
                    Interlocked.Increment(ref once);
                    if (total != item.Participant.Hours || entries.Count != 1)
                    {
                        Interlocked.Increment(ref wrong);
                        problem = $"{entries.Count} entries totalling {total} h, expected {item.Participant.Hours} h";
                    }
                    break;
            }
            if (problem is not null && examples.Count < 10)
            {
                examples.Enqueue($"volunteer {item.Participant.VolunteerId} in activity {item.Activity.Id}: {problem}");
            }
        });
        return new LedgerResult(participations.Count, once, lost, doubled, wrong, [.. examples]);
    }

    /// <summary>The township's station months, through the gateway, against what was completed.</summary>
    public async Task<AssessmentResult> AssessmentAsync(IReadOnlyCollection<HeldActivity> activities)
    {
        int completed = 0, participants = 0;
        var hours = 0m;
        foreach (var month in activities.Select(a => a.Month).Distinct())
        {
            var answer = await partner.GetAsync($"/api/v1/assessment/months/{month}?under={Workload.Township}");
            if (answer.Status != 200)
            {
                throw new UnexpectedAnswerException($"assessment month {month} answered {answer.Status}: {Partner.Shorten(answer.Body)}");
            }
            foreach (var station in answer.Json.EnumerateArray())
            {
                completed += station.GetProperty("completedActivities").GetInt32();
                participants += station.GetProperty("participantCount").GetInt32();
                hours += station.GetProperty("volunteerHours").GetDecimal();
            }
        }
        return new AssessmentResult(completed, activities.Count, participants, activities.Sum(a => a.Participants.Count),
            hours, activities.Sum(a => a.Participants.Sum(p => p.Hours)));
    }
}
