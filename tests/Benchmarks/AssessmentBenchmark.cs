using System.Diagnostics;
using System.Globalization;
using System.Net;
using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PracticeMesh.Assessment;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Benchmarks.SideBySide;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks;

/// <summary>
/// Issue 14's numbers: a county year (400 village stations in 20 townships, 100,000 volunteers, 1,000,000 hour
/// credits, 20,000 activities with their participants, 200,000 grid cases, teams, ratings, orders, care visits)
/// written by binary COPY into the fact tables of an assessment service process that has just run its migrations.
/// Measured: (a) events consumed per second by the real service over RabbitMQ with its inbox on PostgreSQL; (b) the
/// whole year rebuilt from the facts (<see cref="CellRebuilder"/>, and <c>POST /rebuild/{period}</c> when served);
/// (c) the same cells as one SQL statement written by hand, whose cells must equal the rebuild's (the run fails
/// otherwise); (d) a township's station ranking for the year (<see cref="IScoreCalculator"/> in this process, and
/// <c>GET /rankings</c> on the service process), each skipped with the reason when not there yet.
/// <c>--quick</c>: the same 400 stations, a hundredth of everything else, to check that it runs.
/// </summary>
public static class AssessmentBenchmark
{
    private const string County = "321324";
    private const int Townships = 20;
    private const int VillagesPerTownship = 20;
    private const int Stations = Townships * VillagesPerTownship;
    private const int Year = 2026;
    private const int ParticipantsPerEvent = 10;
    /// <summary>Facts fall from half a month before the year to half a month after it, so every query must keep to the year's months.</summary>
    private static readonly DateTimeOffset From = new DateTimeOffset(Year, 1, 1, 0, 0, 0, ChinaTime.Offset).AddDays(-15);
    private static readonly double SpanDays = 365 + 30;
    private static readonly string[] Categories = ["Cadre", "PartyApplicant", "PromotionCandidate", "LeagueApplicant"];
    private static readonly string[] CaseCategories = ["sanitation", "road-damage", "public-facility", "safety-hazard", "dispute", "help-request"];

    private sealed record Sizes(int Volunteers, int HourCredits, int Activities, int Cases, int Ratings, int Orders, int CareVisits, int Teams,
        int MembersPerTeam, int MinParticipants, int MaxParticipants, int Events, int RankingCalls);

    private static readonly Sizes Full = new(100_000, 1_000_000, 20_000, 200_000, 60_000, 20_000, 40_000, 2_000, 20, 5, 25, 2_000, 200);
    private static readonly Sizes Quick = new(1_000, 10_000, 200, 2_000, 600, 200, 400, 400, 2, 1, 3, 300, 20);

    private sealed record Row(string What, IReadOnlyList<double> Ms, string Rate, string Target, string Note);

    /// <summary>The county's people and activities, kept to publish events about them and to count what was written.</summary>
    private sealed class CountyYear(Sizes sizes)
    {
        public Sizes Sizes { get; } = sizes;
        public Guid[] Volunteers { get; } = new Guid[sizes.Volunteers];
        public Guid[] Teams { get; } = new Guid[sizes.Teams];
        public long FactRows { get; set; }

        /// <summary>Volunteer k of station s: volunteers are dealt to the stations in turn.</summary>
        public int VolunteersAt(int station) => (Sizes.Volunteers - station + Stations - 1) / Stations;

        public Guid VolunteerAt(int station, int k) => Volunteers[station + k * Stations];

        /// <summary>Team k of station s, dealt in turn as the volunteers are; null when the station has fewer.</summary>
        public int TeamsAt(int station) => (Sizes.Teams - station + Stations - 1) / Stations;

        public Guid TeamAt(int station, int k) => Teams[station + k * Stations];
    }

    public static async Task RunAsync(bool quick)
    {
        var sizes = quick ? Quick : Full;
        await using var platform = new ProcessPlatform("pm_bench_assess", ["identity", "assessment"]);
        var started = Stopwatch.GetTimestamp();
        await platform.StartAsync();
        Console.WriteLine($"started identity, assessment and the gateway in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");

        var connectionString = RealServers.PostgresDatabase(platform.DatabaseOf("assessment"));
        var county = new CountyYear(sizes);
        started = Stopwatch.GetTimestamp();
        await SeedAsync(connectionString, county);
        Console.WriteLine($"loaded {county.FactRows:N0} fact rows (a county year: {Stations} stations, {sizes.Volunteers:N0} volunteers, {sizes.HourCredits:N0} hour credits, " +
            $"{sizes.Activities:N0} activities, {sizes.Cases:N0} cases) in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");

        using var admin = await platform.SignInAsync("county.admin");
        using var assessment = new HttpClient { BaseAddress = platform.Process("assessment").Address, Timeout = TimeSpan.FromMinutes(10) };
        assessment.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;

        var rows = new List<Row>();
        rows.AddRange(await ConsumeAsync(platform, connectionString, county));
        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} events consumed");
        rows.AddRange(await RebuildAsync(connectionString, assessment));
        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} the year rebuilt");
        rows.AddRange(await RankAsync(connectionString, assessment, sizes.RankingCalls));

        Console.WriteLine();
        Console.WriteLine($"| assessment, a county year ({(quick ? "quick: a hundredth" : "full")}) | median | p99 | rate | target | note |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var measured = row.Ms.Count > 0;
            var median = measured ? Ms(Rounds.Median(row.Ms)) : "–";
            var p99 = measured ? row.Ms.Count == 1 ? "(one run)" : Ms(Rounds.Percentile([.. row.Ms], 99)) : "–";
            Console.WriteLine($"| {row.What} | {median} | {p99} | {row.Rate} | {row.Target} | {row.Note} |");
        }
    }

    // ---- the county year ----

    private static string Township(int t) => $"{County}{101 + t}";

    private static string Station(int s) => $"{Township(s / VillagesPerTownship)}{201 + s % VillagesPerTownship}";

    private static DateTimeOffset Instant(Random random) => From.AddDays(random.NextDouble() * SpanDays).ToUniversalTime();

    private static Guid NextGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static void Write<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static void Write(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Varchar);
        }
    }

    private static void Write(NpgsqlBinaryImporter copy, DateTimeOffset value) => copy.Write(value.UtcDateTime, NpgsqlDbType.TimestampTz);

    private static void Write(NpgsqlBinaryImporter copy, DateTimeOffset? value) => Write(copy, value?.UtcDateTime, NpgsqlDbType.TimestampTz);

    /// <summary>One table by binary COPY: <paramref name="write"/> writes a row's columns for row i.</summary>
    private static async Task<long> CopyAsync(NpgsqlConnection db, string table, string columns, int count, Action<NpgsqlBinaryImporter, int> write)
    {
        var quoted = string.Join(", ", columns.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => $"\"{c}\""));
        await using var copy = await db.BeginBinaryImportAsync($"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < count; i++)
        {
            copy.StartRow();
            write(copy, i);
        }
        await copy.CompleteAsync();
        return count;
    }

    /// <summary>An activity of the county, and its participants (volunteer index k of its station, credit, correction).</summary>
    private readonly record struct Activity(Guid Id, int Station, int? Team, DateTimeOffset StartsAt, bool Completed, bool? Late, int Attendees, int FirstParticipant, int Participants);

    private readonly record struct Participation(int Activity, int Volunteer, long Credit, long Correction);

    private static async Task SeedAsync(string connectionString, CountyYear county)
    {
        var sizes = county.Sizes;
        var random = new Random(14);
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var registered = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        long rows = 0;

        rows += await CopyAsync(db, "station_facts", "StationCode DivisionCode Name Kind ParentStationCode RegisteredAt NamedAt ClosedAt Version", Stations, (copy, s) =>
        {
            Write(copy, Station(s));
            Write(copy, Station(s));
            Write(copy, $"第{s / VillagesPerTownship + 1}镇第{s % VillagesPerTownship + 1}村新时代文明实践站");
            Write(copy, nameof(StationKind.Village));
            Write(copy, (string?)null);
            Write(copy, registered);
            Write(copy, registered);
            Write(copy, (DateTimeOffset?)null);
            copy.Write(0, NpgsqlDbType.Integer);
        });
        // Each station's six-haves verdicts and staffing statements: one to three in the year, most of them met.
        foreach (var table in new[] { "six_haves_facts", "staffing_facts" })
        {
            var statements = Enumerable.Range(0, Stations).SelectMany(s => Enumerable.Range(0, 1 + random.Next(3)).Select(_ => s)).ToList();
            rows += await CopyAsync(db, table, table == "six_haves_facts"
                ? "EventId StationCode OccurredAt PassedItems RequiredItems Compliant"
                : "EventId StationCode OccurredAt StaffCount RequiredMin Met", statements.Count, (copy, i) =>
            {
                var met = random.NextDouble() < 0.85;
                copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
                Write(copy, Station(statements[i]));
                Write(copy, Instant(random));
                copy.Write(met ? 6 : 3 + random.Next(3), NpgsqlDbType.Integer);
                copy.Write(6, NpgsqlDbType.Integer);
                copy.Write(met, NpgsqlDbType.Boolean);
            });
        }

        for (var v = 0; v < county.Volunteers.Length; v++)
        {
            county.Volunteers[v] = NextGuid(random);
        }
        rows += await CopyAsync(db, "volunteer_facts", "VolunteerId Name DivisionCode HomeStationCode CategoryList ApprovedAt", sizes.Volunteers, (copy, v) =>
        {
            var roll = random.NextDouble();
            var category = roll < 0.05 ? Categories[0] : roll < 0.08 ? Categories[1] : roll < 0.10 ? Categories[2] : roll < 0.12 ? Categories[3] : null;
            copy.Write(county.Volunteers[v], NpgsqlDbType.Uuid);
            Write(copy, $"志愿者{v}");
            Write(copy, Station(v % Stations));
            Write(copy, Station(v % Stations));
            Write(copy, category is null ? "," : $",{category},");
            Write(copy, registered.AddDays(random.Next(600)));
        });
        // One volunteer in a hundred suspended in the year, half of them reinstated later.
        var suspended = Enumerable.Range(0, sizes.Volunteers / 100).Select(_ => random.Next(sizes.Volunteers)).Distinct().ToList();
        rows += await CopyAsync(db, "volunteer_status_facts", "EventId VolunteerId OccurredAt Suspended", suspended.Count * 2, (copy, i) =>
        {
            var reinstated = i % 2 == 1 && i % 4 == 1;
            copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
            copy.Write(county.Volunteers[suspended[i / 2]], NpgsqlDbType.Uuid);
            Write(copy, From.AddDays(i % 2 == 0 ? 30 + random.Next(150) : 200 + random.Next(150)).ToUniversalTime());
            copy.Write(i % 2 == 0 || !reinstated, NpgsqlDbType.Boolean);
        });

        for (var t = 0; t < county.Teams.Length; t++)
        {
            county.Teams[t] = NextGuid(random);
        }
        rows += await CopyAsync(db, "team_facts", "TeamId Name DivisionCode HomeStationCode Tier Type CreatedAt", sizes.Teams, (copy, t) =>
        {
            copy.Write(county.Teams[t], NpgsqlDbType.Uuid);
            Write(copy, $"第{t / Stations + 1}志愿服务队");
            Write(copy, Station(t % Stations));
            Write(copy, Station(t % Stations));
            Write(copy, nameof(TeamTier.Village));
            Write(copy, ((TeamType)random.Next(6)).ToString());
            Write(copy, registered.AddDays(random.Next(300)));
        });
        // Members of the team's own station; one in ten leaves again later in the year.
        var memberships = new List<(int Team, int Volunteer, bool Joined)>();
        for (var t = 0; t < sizes.Teams; t++)
        {
            var station = t % Stations;
            var members = Math.Min(sizes.MembersPerTeam, county.VolunteersAt(station));
            var first = random.Next(Math.Max(1, county.VolunteersAt(station)));
            for (var m = 0; m < members; m++)
            {
                var k = (first + m * 7) % county.VolunteersAt(station);
                memberships.Add((t, k, true));
                if (random.NextDouble() < 0.1)
                {
                    memberships.Add((t, k, false));
                }
            }
        }
        rows += await CopyAsync(db, "team_membership_facts", "EventId TeamId VolunteerId OccurredAt Joined", memberships.Count, (copy, i) =>
        {
            var (team, k, joined) = memberships[i];
            copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
            copy.Write(county.Teams[team], NpgsqlDbType.Uuid);
            copy.Write(county.VolunteerAt(team % Stations, k), NpgsqlDbType.Uuid);
            Write(copy, joined ? registered.AddDays(random.Next(600)) : From.AddDays(200 + random.Next(150)).ToUniversalTime());
            copy.Write(joined, NpgsqlDbType.Boolean);
        });

        // Activities: 95 % completed; announced in advance (80 %), late (12 %) or not heard of (8 %); four in ten held by a team.
        var activities = new Activity[sizes.Activities];
        var participations = new List<Participation>();
        for (var a = 0; a < activities.Length; a++)
        {
            var station = random.Next(Stations);
            var teams = county.TeamsAt(station);
            int? team = teams > 0 && random.NextDouble() < 0.4 ? random.Next(teams) : null;
            var completed = random.NextDouble() < 0.95;
            var roll = random.NextDouble();
            bool? late = roll < 0.8 ? false : roll < 0.92 ? true : null;
            var available = county.VolunteersAt(station);
            var participants = completed && random.NextDouble() >= 0.02
                ? Math.Min(available, sizes.MinParticipants + random.Next(sizes.MaxParticipants - sizes.MinParticipants + 1)) : 0;
            var first = random.Next(Math.Max(1, available));
            activities[a] = new Activity(NextGuid(random), station, team, Instant(random), completed, late,
                participants == 0 ? 0 : participants + random.Next(30), participations.Count, participants);
            for (var p = 0; p < participants; p++)
            {
                var credit = (4 + random.Next(13)) * 25L;
                var corrected = random.NextDouble();
                // Three in a hundred corrected: a third of those struck off entirely, the others half an hour less or more.
                var correction = corrected >= 0.03 ? 0 : corrected < 0.01 ? -credit : corrected < 0.02 ? -50 : 50;
                participations.Add(new Participation(a, (first + p * 7) % available, credit, correction));
            }
        }
        rows += await CopyAsync(db, "activity_facts",
            "ActivityId StationCode DivisionCode TeamId Category StartsAt Month PublishedAt LateAnnouncement CompletedAt AttendeeCount AttendeeCountAt Version",
            activities.Length, (copy, a) =>
            {
                var activity = activities[a];
                var completedAt = activity.Completed ? activity.StartsAt.AddHours(2) : (DateTimeOffset?)null;
                copy.Write(activity.Id, NpgsqlDbType.Uuid);
                Write(copy, Station(activity.Station));
                Write(copy, Station(activity.Station));
                Write(copy, activity.Team is { } t ? county.TeamAt(activity.Station, t) : (Guid?)null, NpgsqlDbType.Uuid);
                Write(copy, ((ActivityCategory)(a % 8)).ToString());
                Write(copy, activity.StartsAt);
                Write(copy, Period.MonthOf(activity.StartsAt));
                Write(copy, activity.Late is { } late ? activity.StartsAt.AddDays(late ? -1 : -3 - a % 7) : (DateTimeOffset?)null);
                Write(copy, activity.Late, NpgsqlDbType.Boolean);
                Write(copy, completedAt);
                copy.Write(activity.Attendees, NpgsqlDbType.Integer);
                Write(copy, completedAt);
                copy.Write(activity.Completed ? 2 : 1, NpgsqlDbType.Integer);
            });
        rows += await CopyAsync(db, "participation_facts",
            "ActivityId VolunteerId StationCode TeamId Month CompletionHundredths CorrectionHundredths CorrectedDown Version", participations.Count, (copy, i) =>
            {
                var p = participations[i];
                var activity = activities[p.Activity];
                copy.Write(activity.Id, NpgsqlDbType.Uuid);
                copy.Write(county.VolunteerAt(activity.Station, p.Volunteer), NpgsqlDbType.Uuid);
                Write(copy, Station(activity.Station));
                Write(copy, activity.Team is { } t ? county.TeamAt(activity.Station, t) : (Guid?)null, NpgsqlDbType.Uuid);
                Write(copy, Period.MonthOf(activity.StartsAt));
                copy.Write(p.Credit, NpgsqlDbType.Bigint);
                copy.Write(p.Correction, NpgsqlDbType.Bigint);
                copy.Write(p.Correction < 0, NpgsqlDbType.Boolean);
                copy.Write(p.Correction == 0 ? 1 : 2, NpgsqlDbType.Integer);
            });

        // Care visits by the station's volunteers, each credited on the ledger too.
        var visits = Enumerable.Range(0, sizes.CareVisits).Select(_ =>
        {
            var station = random.Next(Stations);
            return (Id: NextGuid(random), Station: station, Volunteer: county.VolunteerAt(station, random.Next(county.VolunteersAt(station))),
                On: DateOnly.FromDateTime(Instant(random).ToOffset(ChinaTime.Offset).DateTime), Hundredths: (2 + random.Next(7)) * 25L);
        }).ToList();
        rows += await CopyAsync(db, "care_visit_facts", "VisitId StationCode VolunteerId VisitedOn Month Hundredths", visits.Count, (copy, i) =>
        {
            var visit = visits[i];
            copy.Write(visit.Id, NpgsqlDbType.Uuid);
            Write(copy, Station(visit.Station));
            copy.Write(visit.Volunteer, NpgsqlDbType.Uuid);
            copy.Write(visit.On, NpgsqlDbType.Date);
            Write(copy, Period.MonthOf(visit.On));
            copy.Write(visit.Hundredths, NpgsqlDbType.Bigint);
        });

        // The ledger: every activity credit and correction, every care visit, and entries by hand up to the county's total.
        var corrections = participations.Count(p => p.Correction != 0);
        var byHand = Math.Max(0, sizes.HourCredits - participations.Count - corrections - visits.Count);
        var correctionIndexes = participations.Select((p, i) => (p, i)).Where(x => x.p.Correction != 0).Select(x => x.i).ToList();
        rows += await CopyAsync(db, "hours_facts", "LedgerEntryId VolunteerId ActivityId CareVisitId Hundredths CreditedAt Month",
            participations.Count + corrections + visits.Count + byHand, (copy, i) =>
            {
                Guid volunteer;
                Guid? activityId = null, visitId = null;
                long hundredths;
                DateTimeOffset at;
                if (i < participations.Count + corrections)
                {
                    var correction = i >= participations.Count;
                    var p = participations[correction ? correctionIndexes[i - participations.Count] : i];
                    var activity = activities[p.Activity];
                    volunteer = county.VolunteerAt(activity.Station, p.Volunteer);
                    activityId = activity.Id;
                    hundredths = correction ? p.Correction : p.Credit;
                    at = activity.StartsAt.AddHours(correction ? 24 * 5 : 2);
                }
                else if (i < participations.Count + corrections + visits.Count)
                {
                    var visit = visits[i - participations.Count - corrections];
                    volunteer = visit.Volunteer;
                    visitId = visit.Id;
                    hundredths = visit.Hundredths;
                    at = new DateTimeOffset(visit.On.ToDateTime(new TimeOnly(18, 0)), ChinaTime.Offset).ToUniversalTime();
                }
                else
                {
                    volunteer = county.Volunteers[random.Next(sizes.Volunteers)];
                    hundredths = (1 + random.Next(16)) * 25L;
                    at = Instant(random);
                }
                copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
                copy.Write(volunteer, NpgsqlDbType.Uuid);
                Write(copy, activityId, NpgsqlDbType.Uuid);
                Write(copy, visitId, NpgsqlDbType.Uuid);
                copy.Write(hundredths, NpgsqlDbType.Bigint);
                Write(copy, at);
                Write(copy, Period.MonthOf(at));
            });

        rows += await CopyAsync(db, "rating_facts", "EventId Source SourceId StationCode TeamId Score RatedAt Month", sizes.Ratings, (copy, _) =>
        {
            var activity = activities[random.Next(activities.Length)];
            var at = Instant(random);
            copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
            Write(copy, random.NextDouble() < 0.7 ? nameof(RatingSource.Activity) : nameof(RatingSource.Order));
            copy.Write(activity.Id, NpgsqlDbType.Uuid);
            Write(copy, Station(activity.Station));
            Write(copy, activity.Team is { } t ? county.TeamAt(activity.Station, t) : (Guid?)null, NpgsqlDbType.Uuid);
            copy.Write(random.NextDouble() < 0.8 ? 4 + random.Next(2) : 1 + random.Next(3), NpgsqlDbType.Integer);
            Write(copy, at);
            Write(copy, Period.MonthOf(at));
        });
        rows += await CopyAsync(db, "order_facts", "OrderId StationCode TeamId VolunteerId CompletedAt Month Overdue", sizes.Orders, (copy, _) =>
        {
            var station = random.Next(Stations);
            var at = Instant(random);
            copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
            Write(copy, Station(station));
            copy.WriteNull();
            Write(copy, random.NextDouble() < 0.7 ? county.VolunteerAt(station, random.Next(county.VolunteersAt(station))) : (Guid?)null, NpgsqlDbType.Uuid);
            Write(copy, at);
            Write(copy, Period.MonthOf(at));
            copy.Write(random.NextDouble() < 0.1, NpgsqlDbType.Boolean);
        });
        // Grid cases of each village: 80 % resolved (85 % of those on time), a few rejected or merged, the rest open;
        // closed 2 to 200 hours after being reported, so some reported in one month are closed in the next.
        rows += await CopyAsync(db, "case_facts",
            "CaseId StationCode GridCode Category ReportedAt ReportedMonth ClosedAt ClosedMonth Outcome OnTime EscalationLevel Version", sizes.Cases, (copy, _) =>
            {
                var station = random.Next(Stations);
                var reported = Instant(random);
                var roll = random.NextDouble();
                CaseOutcome? outcome = roll < 0.80 ? CaseOutcome.Resolved : roll < 0.84 ? CaseOutcome.Rejected : roll < 0.86 ? CaseOutcome.Merged : null;
                var closed = outcome is null ? (DateTimeOffset?)null : reported.AddHours(2 + random.NextDouble() * 198);
                var escalation = random.NextDouble() < 0.1 ? 1 + random.Next(3) : 0;
                copy.Write(NextGuid(random), NpgsqlDbType.Uuid);
                Write(copy, Station(station));
                Write(copy, $"{Station(station)}-{1 + random.Next(10):D2}");
                Write(copy, CaseCategories[random.Next(CaseCategories.Length)]);
                Write(copy, reported);
                Write(copy, Period.MonthOf(reported));
                Write(copy, closed);
                Write(copy, closed is { } c ? Period.MonthOf(c) : (string?)null);
                Write(copy, outcome?.ToString());
                copy.Write(outcome == CaseOutcome.Resolved && escalation == 0 && random.NextDouble() < 0.85, NpgsqlDbType.Boolean);
                copy.Write(escalation, NpgsqlDbType.Integer);
                copy.Write(outcome is null ? 1 : 2, NpgsqlDbType.Integer);
            });
        county.FactRows = rows;
        await using var analyze = new NpgsqlCommand("ANALYZE", db);
        await analyze.ExecuteNonQueryAsync();
    }

    // ---- a) events consumed through the inbox ----

    /// <summary>The consumers whose events are published here: the ones the assessment service has.</summary>
    private static readonly string[] Consumers =
    [
        "PracticeMesh.Assessment.Facts.Consumers.RecordActivityCompleted",
        "PracticeMesh.Assessment.Facts.Consumers.RecordActivityCompletionCorrected",
    ];

    private static async Task<List<Row>> ConsumeAsync(ProcessPlatform platform, string connectionString, CountyYear county)
    {
        var sizes = county.Sizes;
        var random = new Random(21);
        var events = new List<IIntegrationEvent>();
        for (var i = 0; i < sizes.Events; i++)
        {
            var station = random.Next(Stations);
            var available = county.VolunteersAt(station);
            var first = random.Next(available);
            var participants = Enumerable.Range(0, Math.Min(ParticipantsPerEvent, available))
                .Select(p => new ActivityParticipant(county.VolunteerAt(station, (first + p * 7) % available), 2.5m)).ToList();
            var startsAt = Instant(random);
            var teams = county.TeamsAt(station);
            Guid? team = teams > 0 && random.NextDouble() < 0.4 ? county.TeamAt(station, random.Next(teams)) : null;
            var completed = new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), DivisionCode.Parse(Station(station)), Guid.NewGuid(), Station(station), team,
                ActivityCategory.CivilityGuidance, startsAt, startsAt.AddHours(2), participants, AttendeeCount: participants.Count + 20, ResidentAttendeeCount: 20);
            events.Add(completed);
            // One in ten corrected a few days later: the first volunteer was not there after all.
            if (i % 10 == 0)
            {
                events.Add(new ActivityCompletionCorrected(Guid.NewGuid(), startsAt.AddDays(3), completed.DivisionCode, completed.ActivityId, completed.StationCode,
                    team, completed.Category, startsAt, completed.EndsAt, "签到核查", [new ActivityHoursDelta(participants[0].VolunteerId, 2.5m, 0, -2.5m)],
                    completed.AttendeeCount - 1));
            }
        }

        var rabbit = Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") is not null ? RealServers.RabbitMq
            : new UriBuilder(RealServers.RabbitMq) { Path = "/" + Uri.EscapeDataString(platform.VirtualHost) }.Uri.ToString();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["ConnectionStrings:rabbitmq"] = rabbit,
        });
        builder.AddServiceDefaults(new PublisherModule());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var next = -1;
            var started = Stopwatch.GetTimestamp();
            var publishStarted = DateTimeOffset.UtcNow;
            // As the outbox relay publishes: the event id is the message id, 32 publishes awaiting their confirms at once.
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < events.Count; i = Interlocked.Increment(ref next))
                {
                    await (events[i] switch
                    {
                        ActivityCompleted e => bus.Publish(e, context => context.MessageId = e.EventId),
                        ActivityCompletionCorrected e => bus.Publish(e, context => context.MessageId = e.EventId),
                        var e => throw new InvalidOperationException($"No publish for {e.GetType().Name}"),
                    });
                }
            })));
            var published = Stopwatch.GetElapsedTime(started).TotalSeconds;

            await using var db = new NpgsqlConnection(connectionString);
            await db.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*), min(processed_at), max(processed_at) FROM inbox_messages WHERE consumer = ANY($1)", db);
            count.Parameters.AddWithValue(Consumers);
            var (handled, firstAt, lastAt) = await HttpAssertions.EventuallyAsync(async () =>
            {
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                var rows = reader.GetInt64(0);
                // processed_at is Unix milliseconds, stamped by the consumer as it saves.
                return rows >= events.Count
                    ? Tuple.Create(rows, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
                    : null;
            }, $"the assessment inbox to hold all {events.Count:N0} events", TimeSpan.FromMinutes(20));
            var consuming = Math.Max(0.001, (lastAt - firstAt).TotalSeconds);
            var endToEnd = (lastAt - publishStarted).TotalSeconds;
            var corrections = events.Count - sizes.Events;
            return
            [
                new Row($"events consumed through the inbox on PostgreSQL ({sizes.Events:N0} ActivityCompleted with {ParticipantsPerEvent} participants, {corrections:N0} ActivityCompletionCorrected)",
                    [], $"{handled / consuming:N0} events/s", "–",
                    $"first to last inbox row {consuming:F1} s; from the first publish {endToEnd:F1} s ({handled / endToEnd:N0}/s); published in {published:F1} s; " +
                    "one assessment process, RabbitMQ, each event its facts, cells and inbox row in one save"),
            ];
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>No consumers: the bus of this process only publishes, with the services' own topology.</summary>
    private sealed class PublisherModule : IServiceModule
    {
        public string Name => "bench-publisher";

        public void AddServices(IHostApplicationBuilder builder) { }

        public void AddConsumers(IBusRegistrationConfigurator bus) { }

        public void MapEndpoints(IEndpointRouteBuilder endpoints) { }
    }

    // ---- b) and c) the year rebuilt, and the same by hand ----

    private static AssessmentDbContext Context(string connectionString) => new(new DbContextOptionsBuilder<AssessmentDbContext>()
        .UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(600)).Options);

    /// <summary>
    /// Every summable cell of the year in one statement: a GROUP BY per measure over its fact table, as each fact's
    /// Contributions() states it, UNION ALL, zero sums left out as the rebuild leaves them out.
    /// </summary>
    private const string HandSql = """
        INSERT INTO hand_cells ("Kind", "Subject", "Month", "Measure", "Value", "Version")
        SELECT kind, subject, month, measure, value, 1 FROM (
            SELECT 'Station' AS kind, "StationCode" AS subject, "Month" AS month, 'activities.completed' AS measure, count(*) AS value
              FROM activity_facts WHERE "Month" BETWEEN @first AND @last AND "CompletedAt" IS NOT NULL GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'activities.concentrated', count(*)
              FROM activity_facts WHERE "Month" BETWEEN @first AND @last AND "CompletedAt" IS NOT NULL AND "LateAnnouncement" = false AND "AttendeeCount" > 0
             GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Team', "TeamId"::text, "Month", 'team.activities', count(*)
              FROM activity_facts WHERE "Month" BETWEEN @first AND @last AND "CompletedAt" IS NOT NULL AND "TeamId" IS NOT NULL GROUP BY "TeamId", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'activities.participants', count(*)
              FROM participation_facts WHERE "Month" BETWEEN @first AND @last AND coalesce("CompletionHundredths", 0) + "CorrectionHundredths" > 0
             GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'activities.hours', sum(coalesce("CompletionHundredths", 0) + "CorrectionHundredths")::bigint
              FROM participation_facts WHERE "Month" BETWEEN @first AND @last AND coalesce("CompletionHundredths", 0) + "CorrectionHundredths" > 0
             GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Volunteer', "VolunteerId"::text, "Month", 'volunteer.activities', count(*)
              FROM participation_facts WHERE "Month" BETWEEN @first AND @last AND coalesce("CompletionHundredths", 0) + "CorrectionHundredths" > 0
             GROUP BY "VolunteerId", "Month"
            UNION ALL
            SELECT 'Team', "TeamId"::text, "Month", 'team.hours', sum(coalesce("CompletionHundredths", 0) + "CorrectionHundredths")::bigint
              FROM participation_facts WHERE "Month" BETWEEN @first AND @last AND coalesce("CompletionHundredths", 0) + "CorrectionHundredths" > 0 AND "TeamId" IS NOT NULL
             GROUP BY "TeamId", "Month"
            UNION ALL
            SELECT 'Volunteer', "VolunteerId"::text, "Month", 'volunteer.hours', sum("Hundredths")::bigint
              FROM hours_facts WHERE "Month" BETWEEN @first AND @last GROUP BY "VolunteerId", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'ratings.count', count(*) FROM rating_facts WHERE "Month" BETWEEN @first AND @last GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'ratings.sum', sum("Score")::bigint FROM rating_facts WHERE "Month" BETWEEN @first AND @last GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'orders.completed', count(*) FROM order_facts WHERE "Month" BETWEEN @first AND @last GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'orders.onTime', count(*) FROM order_facts WHERE "Month" BETWEEN @first AND @last AND NOT "Overdue"
             GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "Month", 'care.visits', count(*) FROM care_visit_facts WHERE "Month" BETWEEN @first AND @last GROUP BY "StationCode", "Month"
            UNION ALL
            SELECT 'Station', "StationCode", "ReportedMonth", 'cases.reported', count(*) FROM case_facts WHERE "ReportedMonth" BETWEEN @first AND @last
             GROUP BY "StationCode", "ReportedMonth"
            UNION ALL
            SELECT 'Station', "StationCode", "ClosedMonth", 'cases.closed', count(*) FROM case_facts WHERE "ClosedMonth" BETWEEN @first AND @last AND "Outcome" = 'Resolved'
             GROUP BY "StationCode", "ClosedMonth"
            UNION ALL
            SELECT 'Station', "StationCode", "ClosedMonth", 'cases.closedOnTime', count(*) FROM case_facts
             WHERE "ClosedMonth" BETWEEN @first AND @last AND "Outcome" = 'Resolved' AND "OnTime" GROUP BY "StationCode", "ClosedMonth"
        ) cells
        WHERE value <> 0
        """;

    private static async Task<List<Row>> RebuildAsync(string connectionString, HttpClient assessment)
    {
        var year = Period.ForYear(Year);
        var rows = new List<Row>();

        // The service's endpoint, when this branch serves it: the same rebuild behind HTTP, scope and county checks.
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await assessment.PostAsync($"/api/v1/assessment/rebuild/{year}?county={County}", null);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            rows.Add(response.IsSuccessStatusCode
                ? new Row($"the year rebuilt: POST /rebuild/{year}?county={County} on the assessment process", [ms], "–", "< 60 s", "HTTP; the whole county's year")
                : new Row($"the year rebuilt: POST /rebuild/{year}?county={County} on the assessment process", [], "–", "< 60 s",
                    $"not measured: answered {(int)response.StatusCode} (not served on this branch)"));
        }

        RebuildReport report;
        {
            await using var db = Context(connectionString);
            // The context's model built and the connection opened first, as they are in a running service.
            await db.StationFacts.CountAsync();
            var started = Stopwatch.GetTimestamp();
            report = await new CellRebuilder(db).RebuildAsync(year, CancellationToken.None);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            rows.Add(new Row($"the year rebuilt from the facts: CellRebuilder.RebuildAsync({year})", [ms], $"{report.FactsRead / (ms / 1000):N0} facts/s", "< 60 s",
                $"{report.FactsRead:N0} facts read, {report.CellsWritten:N0} cells written by COPY, one transaction"));
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS hand_cells (LIKE measure_cells INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        long handCells;
        double handMs;
        {
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var clear = new NpgsqlCommand("DELETE FROM hand_cells", connection, transaction))
            {
                await clear.ExecuteNonQueryAsync();
            }
            await using (var insert = new NpgsqlCommand(HandSql, connection, transaction) { CommandTimeout = 600 })
            {
                insert.Parameters.AddWithValue("first", year.Months[0]);
                insert.Parameters.AddWithValue("last", year.Months[^1]);
                handCells = await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            handMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        rows.Add(new Row("the same cells as one SQL statement by hand (INSERT … SELECT … GROUP BY per measure, UNION ALL)", [handMs], "–", "–",
            $"{handCells:N0} cells; {handMs / Math.Max(1, report.ElapsedMilliseconds):P0} of the rebuild's time (the rebuild's own clock: {report.ElapsedMilliseconds:N0} ms)"));

        // The two must agree cell for cell, or the comparison means nothing.
        await using var compare = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE m."Value" IS DISTINCT FROM h."Value"), count(m."Value"), count(h."Value")
              FROM (SELECT * FROM measure_cells WHERE "Month" BETWEEN @first AND @last) m
              FULL JOIN hand_cells h USING ("Kind", "Subject", "Month", "Measure")
            """, connection);
        compare.Parameters.AddWithValue("first", year.Months[0]);
        compare.Parameters.AddWithValue("last", year.Months[^1]);
        await using (var reader = await compare.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            var (differ, rebuilt, byHand) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (differ > 0 || rebuilt != report.CellsWritten)
            {
                throw new InvalidOperationException(
                    $"The rebuild and the SQL by hand disagree: {differ:N0} cells differ ({rebuilt:N0} rebuilt in the table, {report.CellsWritten:N0} reported, {byHand:N0} by hand).");
            }
            Console.WriteLine($"the rebuild and the SQL by hand agree on every one of {rebuilt:N0} cells of {year}");
        }
        return rows;
    }

    // ---- d) a township's ranking ----

    private static async Task<List<Row>> RankAsync(string connectionString, HttpClient assessment, int calls)
    {
        var period = Period.ForYear(Year);
        var townships = Enumerable.Range(0, calls).Select(i => Township(i % Townships)).ToList();
        var rows = new List<Row>();

        // The calculator in this process, on the service's own registrations (its module) over the same database.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:assessment"] = connectionString,
            ["Messaging:Transport"] = "InMemory",
        });
        builder.AddServiceDefaults(new AssessmentModule());
        using var host = builder.Build();
        const string InProcess = "a township's station ranking for the year: IScoreCalculator.RankAsync in this process";
        if (host.Services.GetService<IServiceProviderIsService>()?.IsService(typeof(IScoreCalculator)) != true)
        {
            rows.Add(new Row(InProcess, [], "–", "–", "not measured: no IScoreCalculator is registered on this branch"));
        }
        else
        {
            var ranked = 0;
            var (ms, perSecond) = await TimeEachAsync(townships, async township =>
            {
                await using var scope = host.Services.CreateAsyncScope();
                var ranking = await scope.ServiceProvider.GetRequiredService<IScoreCalculator>().RankAsync(AssessmentTier.Station, period, township, CancellationToken.None);
                ranked = ranking.Count;
            });
            rows.Add(new Row(InProcess, ms, $"{perSecond:N1}/s", "–", $"{ranked} stations ranked each; a scope and a context per call"));
        }

        const string OverHttp = "a township's station ranking for the year: GET /rankings?period=2026&tier=Station on the assessment process";
        using (var probe = await assessment.GetAsync(RankingPath(townships[0])))
        {
            if (probe.StatusCode != HttpStatusCode.OK)
            {
                rows.Add(new Row(OverHttp, [], "–", "–", $"not measured: answered {(int)probe.StatusCode} (not served on this branch)"));
                return rows;
            }
        }
        var (httpMs, httpPerSecond) = await TimeEachAsync(townships, async township =>
        {
            using var response = await assessment.GetAsync(RankingPath(township));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {RankingPath(township)} answered {(int)response.StatusCode}");
            }
        });
        rows.Add(new Row(OverHttp, httpMs, $"{httpPerSecond:N1}/s", "–", "HTTP, token checked, JSON; rotating over the 20 townships"));
        return rows;
    }

    private static string RankingPath(string township) => $"/api/v1/assessment/rankings?period={Year}&tier=Station&under={township}";

    // ---- timing ----

    /// <summary>Runs <paramref name="operation"/> for each item in turn after one untimed warm-up call: each call's milliseconds and the calls per second.</summary>
    private static async Task<(List<double> Ms, double PerSecond)> TimeEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> operation)
    {
        await operation(items[0]);
        var ms = new List<double>(items.Count);
        var started = Stopwatch.GetTimestamp();
        foreach (var item in items)
        {
            var call = Stopwatch.GetTimestamp();
            await operation(item);
            ms.Add(Stopwatch.GetElapsedTime(call).TotalMilliseconds);
        }
        return (ms, items.Count / Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static string Ms(double value) => value >= 10_000
        ? (value / 1000).ToString("F1", CultureInfo.InvariantCulture) + " s"
        : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";
}
