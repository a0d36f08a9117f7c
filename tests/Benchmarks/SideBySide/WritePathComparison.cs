using System.Diagnostics;
using Npgsql;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>
/// W1: QR check-ins per second through the activities service into PostgreSQL ÷ raw Npgsql writing the same rows,
/// both at the same concurrency. A third side, raw Npgsql issuing the service's read as well as its write, shows how
/// much of the gap is the read the check-in needs and how much is the service.
/// </summary>
public static class WritePathComparison
{
    /// <summary>wrk connections for the service, and connections (one task each) for raw Npgsql: past saturation on 2 cores.</summary>
    private const int Connections = 32;
    /// <summary>First guesses of each side's rate, to seed enough unused places before its first round.</summary>
    private static readonly double[] GuessedRates = [4_000, 15_000, 8_000];

    public static async Task<IReadOnlyList<Finding>> RunAsync(SideBySideRun run)
    {
        using var admin = run.Admin();
        var seed = await CheckInSeed.CreateAsync(run.Platform, admin, run.Villages, perStation: 1);
        var activities = run.Platform.Process("activities");
        var rates = GuessedRates.ToArray();
        var raw = NpgsqlDataSource.Create(seed.ConnectionString + ";Maximum Pool Size=" + Connections);
        await using (raw)
        {
            // The sign-up UPDATE with its version check is the only row a QR check-in writes (the activity row is
            // never written; the QR use is marked in Redis). The read is the one query the service makes first.
            Task<Sample> Service(TimeSpan length) => ServiceSideAsync(run, seed, activities.Address, length, rates);
            Task<Sample> WriteOnly(TimeSpan length) => RawSideAsync(seed, raw, length, withRead: false, rates, 1);
            Task<Sample> ReadAndWrite(TimeSpan length) => RawSideAsync(seed, raw, length, withRead: true, rates, 2);

            // Warm-up: JIT, connection pools, the service's caches.
            var warmUp = TimeSpan.FromSeconds(2);
            await Service(warmUp);
            await WriteOnly(warmUp);
            await ReadAndWrite(warmUp);

            var samples = await Rounds.InterleaveAsync(run.Rounds, _ => Service(run.PerSide), _ => WriteOnly(run.PerSide), _ => ReadAndWrite(run.PerSide));
            var ratio = Rounds.MedianRatio(samples[0], samples[1], s => s.OpsPerSecond);
            var readShare = Rounds.MedianRatio(samples[0], samples[2], s => s.OpsPerSecond);
            var (service, write, both) = (Sample.Median(samples[0]), Sample.Median(samples[1]), Sample.Median(samples[2]));
            return
            [
                new Finding("W1",
                    $"QR check-ins/s straight to the activities service (not through the gateway: W1 is the write path) ÷ raw Npgsql writing the same rows, {Connections} connections each",
                    Rounds.Format(ratio), "≥ 0.6", ratio >= 0.6,
                    [
                        new Side("W1 service: wrk → activities (JWT, QR HMAC, Redis SET NX, SELECT + UPDATE)", samples[0]),
                        new Side("W1 raw Npgsql: the sign-up UPDATE with its version check", samples[1]),
                        new Side("W1 raw Npgsql: the service's SELECT, then the UPDATE", samples[2]),
                    ],
                    $"service ÷ raw read-and-write {Rounds.Format(readShare)}. CPU per check-in: service {Rounds.Format(service.CpuMsPerOp, "F3")} ms " +
                    $"(activities + postgres + redis), raw write {Rounds.Format(write.CpuMsPerOp, "F3")} ms, raw read-and-write " +
                    $"{Rounds.Format(both.CpuMsPerOp, "F3")} ms (this process + postgres); the 2 cores are saturated on every side, " +
                    "so the ratio is about the inverse of the CPU per check-in."),
            ];
        }
    }

    private static async Task<Sample> ServiceSideAsync(SideBySideRun run, CheckInSeed seed, Uri activities, TimeSpan length, double[] rates)
    {
        var pending = await EnsurePendingAsync(seed, length, rates[0]);
        var file = Path.Combine(Path.GetTempPath(), $"practicemesh-w1-{Environment.ProcessId}.txt");
        var environment = await seed.WrkEnvironmentAsync(pending, file);
        var before = await seed.CheckedInAsync();
        var cpuBefore = CpuClock.Snapshot(run.Platform.Processes);
        var wrk = await Wrk.RunAsync(activities, Connections, length, script: "checkins.lua", environment: environment);
        var cpu = CpuClock.Between(cpuBefore, CpuClock.Snapshot(run.Platform.Processes));
        // The requests wrk left in flight finish before the count, and before the next side reads unused places.
        await Task.Delay(500);
        var stored = await seed.CheckedInAsync() - before;
        File.Delete(file);
        if (wrk.NonSuccess > 0)
        {
            throw new InvalidOperationException($"W1: {wrk.NonSuccess} check-ins failed (out of unused places, or refused):\n{wrk.Output}");
        }
        var rate = stored / length.TotalSeconds;
        // The highest rate seen sizes the next seeding: a short warm-up runs slower than a warm round.
        rates[0] = Math.Max(rates[0], rate);
        var serving = cpu.GetValueOrDefault("activities") + cpu.GetValueOrDefault("postgres") + cpu.GetValueOrDefault("redis");
        return new Sample(rate, wrk.P50Ms, wrk.P99Ms, serving * 1000 / Math.Max(1, stored));
    }

    private static async Task<Sample> RawSideAsync(CheckInSeed seed, NpgsqlDataSource raw, TimeSpan length, bool withRead, double[] rates, int side)
    {
        var pending = await EnsurePendingAsync(seed, length, rates[side]);
        var next = -1;
        var latencies = new List<double>[Connections];
        var cpuBefore = CpuClock.Snapshot([]);
        var selfBefore = CpuClock.Self();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async worker =>
        {
            var times = latencies[worker] = new List<double>(100_000);
            await using var connection = await raw.OpenConnectionAsync();
            await using var read = new NpgsqlCommand(
                "SELECT a.*, s.* FROM activities a LEFT JOIN sign_ups s ON s.\"ActivityId\" = a.\"Id\" AND s.\"VolunteerId\" = $2 WHERE a.\"Id\" = $1 LIMIT 2", connection);
            read.Parameters.Add(new NpgsqlParameter<Guid>());
            read.Parameters.Add(new NpgsqlParameter<Guid>());
            // What EF Core sends for a check-in: only the changed columns, and the version it read as the condition.
            await using var write = new NpgsqlCommand(
                "UPDATE sign_ups SET \"CheckInMethod\" = $1, \"CheckedInAt\" = $2, \"Version\" = $3 WHERE \"ActivityId\" = $4 AND \"VolunteerId\" = $5 AND \"Version\" = $6", connection);
            write.Parameters.Add(new NpgsqlParameter<string>());
            write.Parameters.Add(new NpgsqlParameter<DateTimeOffset>());
            write.Parameters.Add(new NpgsqlParameter<int>());
            write.Parameters.Add(new NpgsqlParameter<Guid>());
            write.Parameters.Add(new NpgsqlParameter<Guid>());
            write.Parameters.Add(new NpgsqlParameter<int>());
            while (Stopwatch.GetElapsedTime(started) < length)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= pending.Count)
                {
                    throw new InvalidOperationException("W1: the raw side ran out of unused places.");
                }
                var (activity, volunteer) = (pending[i].ActivityId, pending[i].VolunteerId);
                var begun = Stopwatch.GetTimestamp();
                var version = 0;
                if (withRead)
                {
                    ((NpgsqlParameter<Guid>)read.Parameters[0]).TypedValue = activity;
                    ((NpgsqlParameter<Guid>)read.Parameters[1]).TypedValue = volunteer;
                    await using var reader = await read.ExecuteReaderAsync();
                    var versionColumn = -1;
                    while (await reader.ReadAsync())
                    {
                        // The sign-up's Version is the last column named so.
                        versionColumn = versionColumn >= 0 ? versionColumn : Enumerable.Range(0, reader.FieldCount).Last(c => reader.GetName(c) == "Version");
                        var values = new object[reader.FieldCount];
                        reader.GetValues(values);
                        version = reader.GetInt32(versionColumn);
                    }
                }
                ((NpgsqlParameter<string>)write.Parameters[0]).TypedValue = "QrToken";
                ((NpgsqlParameter<DateTimeOffset>)write.Parameters[1]).TypedValue = DateTimeOffset.UtcNow;
                ((NpgsqlParameter<int>)write.Parameters[2]).TypedValue = version + 1;
                ((NpgsqlParameter<Guid>)write.Parameters[3]).TypedValue = activity;
                ((NpgsqlParameter<Guid>)write.Parameters[4]).TypedValue = volunteer;
                ((NpgsqlParameter<int>)write.Parameters[5]).TypedValue = version;
                // A place the service's last requests took after the list was read (wrk leaves requests in flight) is skipped.
                if (await write.ExecuteNonQueryAsync() == 1)
                {
                    times.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = CpuClock.Between(cpuBefore, CpuClock.Snapshot([])).GetValueOrDefault("postgres") + CpuClock.Self() - selfBefore;
        var all = latencies.SelectMany(l => l).ToList();
        var rate = all.Count / elapsed;
        rates[side] = Math.Max(rates[side], rate);
        return new Sample(rate, Rounds.Percentile(all, 50), Rounds.Percentile(all, 99), cpu * 1000 / all.Count);
    }

    /// <summary>Unused places for one run of <paramref name="length"/> at half again the side's last rate, added when short.</summary>
    private static async Task<List<PendingCheckIn>> EnsurePendingAsync(CheckInSeed seed, TimeSpan length, double rate)
    {
        var need = (int)(rate * 1.5 * length.TotalSeconds) + 1_000;
        var pending = await seed.PendingAsync();
        if (pending.Count < need)
        {
            await seed.AddSignUpsAsync((need - pending.Count) / seed.Activities.Count + 1);
            pending = await seed.PendingAsync();
        }
        return pending;
    }
}
