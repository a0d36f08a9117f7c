using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;
using Xunit;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 5's numbers: 100,000 approved volunteers and 1,000,000 ledger entries in one county (20 townships of 10
/// stations, 500 volunteers a station, 10 activity credits each over 2025 and early 2026) on PostgreSQL. The rows are
/// made by the service's own domain factories (real encrypted ID numbers and phones) and written with binary COPY into
/// the tables the service created, column by column as its EF model maps them. Measured through the service's real
/// HTTP pipeline (in-memory transport): a volunteer's ledger and total, a volunteer's yearly obligation, a township's
/// obligation report, and one ActivityCompleted with 50 participants published on the bus until the consumer has
/// committed the 50 entries.
/// </summary>
public static class VolunteersBenchmark
{
    private const string Path = "/api/v1/volunteers";
    private const string County = "321324";
    private const int Townships = 20;
    private const int StationsPerTownship = 10;
    private const int Volunteers = 100_000;
    private const int EntriesPerVolunteer = 10;
    private const int ActivitySize = 50;
    private const int Reads = 200;
    private const int ReportReads = 30;
    private const int Credits = 50;

    public static async Task RunAsync()
    {
        var factory = new PostgresServiceFactory<VolunteersModule>("volunteers");
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            await MeasureAsync(factory);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    private static async Task MeasureAsync(ServiceFactory<VolunteersModule> factory)
    {
        var seeding = Stopwatch.StartNew();
        var ids = await SeedAsync(factory);
        Console.WriteLine($"Seeded {Volunteers:N0} volunteers and {Volunteers * EntriesPerVolunteer:N0} ledger entries in {seeding.Elapsed.TotalSeconds:F0} s.");
        using var client = factory.CreateClient();
        var random = new Random(5);

        var total = await RepeatAsync(Reads, () => client.GetAsync($"{Path}/{ids[random.Next(ids.Count)]}/hours", HttpStatusCode.OK));
        Report("a volunteer's ledger and total (GET /{id}/hours, ~10 entries)", total);
        var yearly = await RepeatAsync(Reads, () => client.GetAsync($"{Path}/{ids[random.Next(ids.Count)]}/obligations?year=2025", HttpStatusCode.OK));
        Report("a volunteer's yearly obligation (GET /{id}/obligations?year=2025)", yearly);
        var township = await RepeatAsync(ReportReads, () =>
            client.GetAsync($"{Path}/obligations?year=2025&under={County}{101 + random.Next(Townships)}&groupBy=Station", HttpStatusCode.OK));
        Report($"a township's obligation report by station ({Volunteers / Townships:N0} volunteers, ~{Volunteers / Townships * EntriesPerVolunteer:N0} entries)", township);
        var county = await RepeatAsync(ReportReads / 3, () => client.GetAsync($"{Path}/obligations?year=2025&under={County}&groupBy=Township", HttpStatusCode.OK));
        Report($"the county's obligation report by township ({Volunteers:N0} volunteers)", county);

        var credit = new List<double>();
        await CreditAsync(factory, ids, random);
        for (var i = 0; i < Credits; i++)
        {
            credit.Add(await CreditAsync(factory, ids, random));
        }
        Report($"crediting one ActivityCompleted with {ActivitySize} participants (publish until 50 entries committed)", credit);
    }

    private static void Report(string what, List<double> values) =>
        Console.WriteLine($"| PostgreSQL | {what} | median {Percentile(values, 50):F2} ms, p99 {Percentile(values, 99):F2} ms | n = {values.Count} |");

    /// <summary>Publishes one completion for 50 random volunteers and waits until the consumer has committed it.</summary>
    private static async Task<double> CreditAsync(ServiceFactory<VolunteersModule> factory, List<Guid> ids, Random random)
    {
        var now = factory.Clock.GetUtcNow();
        var activityId = Guid.NewGuid();
        var participants = Enumerable.Range(0, ActivitySize).Select(_ => ids[random.Next(ids.Count)]).Distinct()
            .Select(id => new ActivityParticipant(id, 2m)).ToList();
        var completed = new ActivityCompleted(Guid.NewGuid(), now, DivisionCode.Parse($"{County}101201"), activityId, $"{County}101201", null,
            ActivityCategory.Policy, now.AddHours(-3), now.AddHours(-1), participants, participants.Count);
        var started = Stopwatch.GetTimestamp();
        await factory.Harness.Bus.Publish(completed);
        // The harness records a consumption after the consumer's transaction committed.
        while (!factory.Harness.Consumed.Select<ActivityCompleted>(x => x.Context.Message.ActivityId == activityId).Any())
        {
            await Task.Delay(1);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VolunteersDbContext>();
        var written = await db.HourLedger.CountAsync(e => e.ActivityId == activityId);
        if (written != participants.Count)
        {
            throw new InvalidOperationException($"Activity {activityId}: {written} entries written, {participants.Count} expected.");
        }
        return elapsed;
    }

    /// <summary>Creates the county through the domain factories and COPYs it in; returns the volunteers' ids.</summary>
    private static async Task<List<Guid>> SeedAsync(ServiceFactory<VolunteersModule> factory)
    {
        var protector = factory.Services.GetRequiredService<PersonalDataProtector>();
        var registeredAt = new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);
        VolunteerCategory[][] categories = [[VolunteerCategory.Cadre], [VolunteerCategory.PartyApplicant], [VolunteerCategory.LeagueApplicant, VolunteerCategory.Student],
            [VolunteerCategory.Teacher], [VolunteerCategory.Retiree], [VolunteerCategory.PromotionCandidate, VolunteerCategory.Cadre], []];
        var volunteers = new List<Volunteer>(Volunteers);
        for (var i = 0; i < Volunteers; i++)
        {
            var station = $"{County}{101 + i / (Volunteers / Townships)}{201 + i / (Volunteers / Townships / StationsPerTownship) % StationsPerTownship}";
            // Unique numbers: a birth date per i modulo 20,000 days, a sequence per block of 20,000.
            var first17 = $"{County}{new DateOnly(1950, 1, 1).AddDays(i % 20_000):yyyyMMdd}{i / 20_000:D3}";
            var volunteer = Volunteer.Register(new Registration($"志愿者{i:D6}", first17 + IdCardNumber.CheckCharacter(first17), $"139{i:D8}",
                (PoliticalStatus)(i % 4), categories[i % categories.Length], ["政策宣讲"], station), protector, registeredAt);
            volunteer.Approve(registeredAt);
            volunteers.Add(volunteer);
        }

        var random = new Random(1);
        var firstDay = new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero);
        var days = (int)(factory.Clock.GetUtcNow() - firstDay).TotalDays;
        IEnumerable<HourLedgerEntry> Entries()
        {
            // Activities of 50 neighbours: block b of 50 volunteers took part in activities 10b .. 10b+9 together.
            for (var block = 0; block < Volunteers / ActivitySize; block++)
            {
                for (var k = 0; k < EntriesPerVolunteer; k++)
                {
                    var activityId = Guid.NewGuid();
                    var servedOn = firstDay.AddDays(random.Next(days));
                    var hours = 0.5m * (1 + random.Next(8));
                    for (var m = 0; m < ActivitySize; m++)
                    {
                        var volunteer = volunteers[block * ActivitySize + m];
                        yield return HourLedgerEntry.CreditActivity(volunteer.Id, activityId, volunteer.DivisionCode, hours, servedOn, servedOn.AddHours(3));
                    }
                }
            }
        }

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VolunteersDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await EntityCopy.CopyAsync(db, connection, volunteers);
        await EntityCopy.CopyAsync(db, connection, Entries());
        // A table in service is vacuumed by autovacuum; freshly copied rows are not yet, which would hide index-only scans.
        foreach (var table in new[] { "volunteers", "hour_ledger" })
        {
            // One statement a command: VACUUM never runs inside a batch's implicit transaction.
            await using var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection);
            await vacuum.ExecuteNonQueryAsync();
        }
        return volunteers.Select(v => v.Id).ToList();
    }

    private static async Task<List<double>> RepeatAsync(int count, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            await action();
        }
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            values.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return values;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
