using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using V2 = PracticeMesh.Contracts.Events.V2;

namespace PracticeMesh.Assessment.Tests.Facts;

/// <summary>
/// Each source service's events end in the same facts and cells whatever order they arrive in and however often: a
/// history is applied one event at a time in order, then delivered in other orders with one event twice, each copy at
/// a station (and with volunteers, teams, activities, cases) of its own, and every fact and cell of each copy is
/// compared with the in-order one. The in-order result is checked against the figures a station head would expect.
/// </summary>
public sealed class FactOrderTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 10, 2, 0, 0, TimeSpan.Zero);
    private static int _village = 100;

    [Fact]
    public async Task Station_registration_renames_and_closure_end_alike_in_any_order_and_an_update_alone_starts_the_station()
    {
        var reference = await InOrderAsync(Stations);

        var station = await StationAsync(reference.Village);
        Assert.Equal(("王集村文明实践站", StationKind.Village, T0, T0.AddDays(3)), (station.Name, station.Kind, station.RegisteredAt, station.ClosedAt));
        var school = await StationAsync($"{reference.Village}-S01");
        Assert.Equal(("王集小学实践站", StationKind.School, false), (school.Name, school.Kind, school.RegistrationHeard));
        await EveryOtherOrderEndsAlikeAsync(Stations, reference);
    }

    [Fact]
    public async Task Checklist_verdicts_and_staffing_are_kept_whole_in_any_order()
    {
        var reference = await InOrderAsync(Checks);

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
            var verdicts = await db.SixHavesFacts.AsNoTracking().Where(f => f.StationCode == reference.Village).ToListAsync();
            Assert.Equal(3, verdicts.Count);
            Assert.True(verdicts.MaxBy(f => f.OccurredAt)!.Compliant);
            var staffing = await db.StaffingFacts.AsNoTracking().Where(f => f.StationCode == reference.Village).ToListAsync();
            Assert.Equal([false, true], staffing.OrderBy(f => f.OccurredAt).Select(f => f.Met));
        }
        await EveryOtherOrderEndsAlikeAsync(Checks, reference);
    }

    [Fact]
    public async Task A_volunteers_approval_status_ledger_entries_and_care_visits_end_alike_in_any_order()
    {
        var reference = await InOrderAsync(Volunteer);

        var volunteer = reference.Ids["volunteer1"];
        Assert.Equal(new Dictionary<string, long> { ["2026-04 volunteer.hours"] = 250, ["2026-05 volunteer.hours"] = -100 },
            await FactStore.CellsAsync(factory, volunteer.ToString()));
        Assert.Equal(new Dictionary<string, long> { ["2026-04 care.visits"] = 1 }, await FactStore.CellsAsync(factory, reference.Village));
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
            var fact = await db.VolunteerFacts.AsNoTracking().SingleAsync(v => v.VolunteerId == volunteer);
            Assert.True(fact.Has("Cadre") && fact.Has("PartyApplicant") && !fact.Has("LeagueApplicant"));
            Assert.Equal(reference.Village, fact.HomeStationCode);
            Assert.Equal(2, await db.VolunteerStatusFacts.CountAsync(s => s.VolunteerId == volunteer));
        }
        // Hours may be heard before the approval: the approval marks the volunteer's standing in every year, so the
        // leaderboard of their home station (known only from the approval) ranks them with the year's 1.5 hours.
        using (var client = factory.CreateClient())
        {
            await HttpAssertions.EventuallyAsync(async () =>
            {
                var board = await client.GetAsync($"/api/v1/assessment/leaderboards/volunteers?year=2026&under={reference.Village}", System.Net.HttpStatusCode.OK);
                return board.EnumerateArray().Any(p => p.GetProperty("volunteerId").GetGuid() == volunteer && p.GetProperty("hours").GetDecimal() == 1.5m) ? "ranked" : null;
            }, "the volunteer on their home station's board");
        }
        await EveryOtherOrderEndsAlikeAsync(Volunteer, reference);
    }

    [Fact]
    public async Task A_team_its_members_and_its_activities_end_alike_in_any_order()
    {
        var reference = await InOrderAsync(Team);

        Assert.Equal(new Dictionary<string, long> { ["2026-04 team.activities"] = 1, ["2026-04 team.hours"] = 200 },
            await FactStore.CellsAsync(factory, reference.Ids["team"].ToString()));
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
            var team = reference.Ids["team"];
            Assert.Equal(reference.Village, (await db.TeamFacts.AsNoTracking().SingleAsync(t => t.TeamId == team)).HomeStationCode);
            Assert.Equal(3, await db.TeamMembershipFacts.CountAsync(m => m.TeamId == team));
        }
        await EveryOtherOrderEndsAlikeAsync(Team, reference);
    }

    [Fact]
    public async Task Announcements_completions_ratings_and_orders_end_alike_in_any_order()
    {
        var reference = await InOrderAsync(Activities);

        // Two completed; only the one announced in advance and attended counts toward the two a month (集中实践活动).
        Assert.Equal(new Dictionary<string, long>
        {
            ["2026-04 activities.completed"] = 2, ["2026-04 activities.concentrated"] = 1, ["2026-04 activities.participants"] = 2,
            ["2026-04 activities.hours"] = 350, ["2026-04 ratings.count"] = 2, ["2026-04 ratings.sum"] = 9,
            ["2026-04 orders.completed"] = 2, ["2026-04 orders.onTime"] = 1,
        }, await FactStore.CellsAsync(factory, reference.Village));
        await EveryOtherOrderEndsAlikeAsync(Activities, reference);
    }

    [Fact]
    public async Task A_correction_that_leaves_nobody_attending_takes_the_activity_off_the_two_a_month_in_any_order()
    {
        var reference = await InOrderAsync(EmptiedActivity);

        Assert.Equal(new Dictionary<string, long> { ["2026-04 activities.completed"] = 1, ["2026-04 activities.participants"] = 1, ["2026-04 activities.hours"] = 100 },
            await FactStore.CellsAsync(factory, reference.Village));
        await EveryOtherOrderEndsAlikeAsync(EmptiedActivity, reference);
    }

    [Fact]
    public async Task Cases_reported_escalated_and_closed_end_alike_in_any_order()
    {
        var reference = await InOrderAsync(Cases);

        // Reported in April (China time), closed in May: resolved on time counts, a rejected case only as reported.
        Assert.Equal(new Dictionary<string, long> { ["2026-04 cases.reported"] = 2, ["2026-05 cases.closed"] = 1, ["2026-05 cases.closedOnTime"] = 1 },
            await FactStore.CellsAsync(factory, reference.Village));
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
            var escalated = await db.CaseFacts.AsNoTracking().SingleAsync(c => c.CaseId == reference.Ids["case1"]);
            Assert.Equal((1, "321324-G01"), (escalated.EscalationLevel, escalated.GridCode));
        }
        await EveryOtherOrderEndsAlikeAsync(Cases, reference);
    }

    // ---- histories: each call makes a fresh copy at a village of its own ----

    private static History Stations()
    {
        var h = new History(NextVillage());
        var station = h.Village;
        var division = DivisionCode.Parse(station);
        var id = h.Id("stationId");
        h.Add(new StationRegistered(h.Id("e1"), T0, division, id, station, "王集村新时代文明实践站", StationKind.Village, $"{station[..9]}"));
        h.Add(new StationUpdated(h.Id("e2"), T0.AddDays(1), division, id, station, "王集村实践站", null, null, null));
        h.Add(new StationUpdated(h.Id("e3"), T0.AddDays(2), division, id, station, "王集村文明实践站", null, null, null));
        h.Add(new StationClosed(h.Id("e4"), T0.AddDays(3), division, id, station, "并村"));
        // A unit station registered before assessment listened: only its update is heard.
        h.Add(new StationUpdated(h.Id("e5"), T0.AddDays(1), division, h.Id("schoolId"), $"{station}-S01", "王集小学实践站", null, null, null));
        h.Duplicate = 1;
        return h;
    }

    private static History Checks()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var id = h.Id("stationId");
        V2.SixHavesVerified Verdict(string e, int day, string item, SixHavesVerdict verdict, int passed) =>
            new(h.Id(e), T0.AddDays(day), division, id, h.Village, item, item == "Site" ? "有场所" : "有队伍", verdict, "审核员", division.Value[..9], passed, 6, passed == 6);
        h.Add(Verdict("e1", 0, "Site", SixHavesVerdict.Passed, 5));
        h.Add(Verdict("e2", 1, "Team", SixHavesVerdict.Failed, 4));
        h.Add(Verdict("e3", 2, "Team", SixHavesVerdict.Passed, 6));
        h.Add(new StaffingChanged(h.Id("e4"), T0, division, id, h.Village, "张书记", null, 0, 1, 2, false));
        h.Add(new StaffingChanged(h.Id("e5"), T0.AddDays(1), division, id, h.Village, "张书记", "李主任", 2, 1, 2, true));
        h.Duplicate = 3;
        return h;
    }

    private static History Volunteer()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var volunteer = h.Id("volunteer1");
        var visit = h.Id("visit");
        h.Add(new VolunteerApproved(h.Id("e1"), T0, division, volunteer, "王芳", null, h.Village, ["PartyApplicant", "Cadre"]));
        h.Add(new VolunteerSuspended(h.Id("e2"), T0.AddDays(1), division, volunteer, "请假"));
        h.Add(new VolunteerReinstated(h.Id("e3"), T0.AddDays(2), division, volunteer));
        h.Add(new HoursCredited(h.Id("e4"), T0.AddDays(3), division, volunteer, h.Id("entry1"), null, 2.5m, 2.5m));
        // A correction by hand in May takes an hour away.
        h.Add(new HoursCredited(h.Id("e5"), T0.AddMonths(1), division, volunteer, h.Id("entry2"), null, -1m, 1.5m));
        h.Add(new CareVisitRecorded(h.Id("e6"), T0.AddDays(2), division, visit, volunteer, h.Id("recipient"), CareRecipientCategory.LonelyElderly,
            new DateOnly(2026, 4, 12), 1m, h.Id("entry3")));
        h.Duplicate = 3;
        return h;
    }

    private static History Team()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var (team, first, second) = (h.Id("team"), h.Id("volunteer1"), h.Id("volunteer2"));
        h.Add(new TeamCreated(h.Id("e1"), T0.AddDays(-30), division, team, "党员先锋队", TeamTier.Team, TeamType.PartyVanguard, null, h.Village, first));
        h.Add(new TeamMemberJoined(h.Id("e2"), T0.AddDays(-29), division, team, first));
        h.Add(new TeamMemberJoined(h.Id("e3"), T0.AddDays(-29), division, team, second));
        h.Add(new TeamMemberLeft(h.Id("e4"), T0.AddDays(-1), division, team, first));
        h.Add(new ActivityCompleted(h.Id("e5"), T0.AddHours(2), division, h.Id("activity"), h.Village, team, ActivityCategory.Policy, T0, T0.AddHours(2),
            [new(second, 2m)], 8));
        h.Duplicate = 2;
        return h;
    }

    private static History Activities()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var (inAdvance, late, order1, order2) = (h.Id("activity1"), h.Id("activity2"), h.Id("order1"), h.Id("order2"));
        h.Add(new ActivityPublished(h.Id("e1"), T0.AddDays(-7), division, inAdvance, h.Village, "政策宣讲", ActivityCategory.Policy, T0, T0.AddHours(2), 30));
        h.Add(new ActivityCompleted(h.Id("e2"), T0.AddHours(2), division, inAdvance, h.Village, null, ActivityCategory.Policy, T0, T0.AddHours(2),
            [new(h.Id("volunteer1"), 2m)], 20));
        h.Add(new ActivityPublished(h.Id("e3"), T0.AddDays(-1), division, late, h.Village, "义诊", ActivityCategory.HealthAndSport, T0.AddDays(1), T0.AddDays(1).AddHours(2), 30,
            LateAnnouncement: true));
        h.Add(new ActivityCompleted(h.Id("e4"), T0.AddDays(1).AddHours(2), division, late, h.Village, null, ActivityCategory.HealthAndSport, T0.AddDays(1),
            T0.AddDays(1).AddHours(2), [new(h.Id("volunteer2"), 1.5m)], 15));
        h.Add(new ActivityRated(h.Id("e5"), T0.AddDays(2), division, inAdvance, h.Village, null, 4, "讲得好"));
        h.Add(new OrderCompleted(h.Id("e6"), T0.AddDays(3), division, order1, h.Village, null, h.Id("volunteer1"), T0.AddDays(4), false));
        h.Add(new OrderCompleted(h.Id("e7"), T0.AddDays(5), division, order2, h.Village, null, h.Id("volunteer2"), T0.AddDays(4), true));
        h.Add(new OrderRated(h.Id("e8"), T0.AddDays(6), division, order1, h.Village, null, 5, null));
        h.Duplicate = 6;
        return h;
    }

    private static History EmptiedActivity()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var (activity, first, second) = (h.Id("activity"), h.Id("volunteer1"), h.Id("volunteer2"));
        h.Add(new ActivityPublished(h.Id("e1"), T0.AddDays(-7), division, activity, h.Village, "普法讲座", ActivityCategory.Law, T0, T0.AddHours(2), 30));
        h.Add(new ActivityCompleted(h.Id("e2"), T0.AddHours(2), division, activity, h.Village, null, ActivityCategory.Law, T0, T0.AddHours(2),
            [new(first, 2m), new(second, 1m)], 12));
        // The check-ins were wrong: nobody attended but the second volunteer, whose hour stands; the count says none.
        h.Add(new ActivityCompletionCorrected(h.Id("e3"), T0.AddDays(1), division, activity, h.Village, null, ActivityCategory.Law, T0, T0.AddHours(2), "签到有误",
            [new(first, 2m, 0m, -2m)], 0));
        h.Duplicate = 2;
        return h;
    }

    private static History Cases()
    {
        var h = new History(NextVillage());
        var division = DivisionCode.Parse(h.Village);
        var (first, second) = (h.Id("case1"), h.Id("case2"));
        var reportedAt = new DateTimeOffset(2026, 4, 28, 10, 0, 0, TimeSpan.FromHours(8));
        h.Add(new CaseReported(h.Id("e1"), reportedAt, division, first, "AJ-1", "321324-G00", "环境卫生", CaseSource.GridWorker, false, null, null));
        h.Add(new CaseEscalated(h.Id("e2"), reportedAt.AddDays(2), division, first, "321324-G00", "环境卫生", CaseStage.Handling, 1, DivisionCode.Parse(h.Village), reportedAt.AddDays(3)));
        // Moved to the neighbouring grid before it closed, on the first of May (China time).
        h.Add(new CaseClosed(h.Id("e3"), new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.FromHours(8)), division, first, "321324-G01", "环境卫生", CaseOutcome.Resolved,
            reportedAt, true, 0, false, 1, null));
        h.Add(new CaseReported(h.Id("e4"), reportedAt.AddHours(1), division, second, "AJ-2", null, "邻里纠纷", CaseSource.Resident, true, null, null));
        h.Add(new CaseClosed(h.Id("e5"), new DateTimeOffset(2026, 5, 2, 9, 0, 0, TimeSpan.FromHours(8)), division, second, null, "邻里纠纷", CaseOutcome.Rejected,
            reportedAt.AddHours(1), true, 0, false, 0, null));
        h.Duplicate = 2;
        return h;
    }

    // ---- delivery and comparison ----

    private async Task<History> InOrderAsync(Func<History> make)
    {
        var history = make();
        foreach (var message in history.Events)
        {
            await factory.Harness.Bus.Publish(message, message.GetType());
            await FactStore.AppliedAsync(factory, message);
        }
        return history;
    }

    private async Task EveryOtherOrderEndsAlikeAsync(Func<History> make, History reference)
    {
        var expected = await FactStore.RowsAsync(factory, reference.Names);
        Assert.NotEmpty(expected);
        var copies = new List<History>();
        var deliveries = new List<Task>();
        foreach (var order in Orders(reference.Events.Count + 1))
        {
            var copy = make();
            copies.Add(copy);
            // The last index is the duplicated event, the same event id delivered a second time.
            deliveries.Add(FactStore.DeliverAsync(factory, order.Select(i => i == copy.Events.Count ? copy.Events[copy.Duplicate] : copy.Events[i])));
        }
        await Task.WhenAll(deliveries);
        foreach (var copy in copies)
        {
            Assert.Equal(expected, await FactStore.RowsAsync(factory, copy.Names));
        }
    }

    /// <summary>Every order of a short history; a fixed sample (reversed, rotated, shuffled by a fixed seed) of a longer one.</summary>
    private static IEnumerable<IReadOnlyList<int>> Orders(int count)
    {
        var items = Enumerable.Range(0, count).ToArray();
        if (count <= 4)
        {
            return EventOrders.Permutations(items);
        }
        var random = new Random(count);
        var orders = new List<IReadOnlyList<int>> { Enumerable.Reverse(items).ToArray(), items[(count / 2)..].Concat(items[..(count / 2)]).ToArray() };
        for (var i = 0; i < 8; i++)
        {
            var order = items.ToArray();
            random.Shuffle(order);
            orders.Add(order);
        }
        return orders;
    }

    private async Task<Assessment.Facts.StationFact> StationAsync(string code)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        return await db.StationFacts.AsNoTracking().SingleAsync(s => s.StationCode == code);
    }

    /// <summary>A village of this class's own township (321324109), one per history copy.</summary>
    private static string NextVillage() => $"321324109{Interlocked.Increment(ref _village)}";

    /// <summary>A history at one village: its events, the one delivered twice, and the names its ids are compared under.</summary>
    private sealed class History(string village)
    {
        private readonly Dictionary<string, string> _names = new() { [village] = "village" };

        public string Village { get; } = village;
        public List<IIntegrationEvent> Events { get; } = [];
        public int Duplicate { get; set; }
        public Dictionary<string, Guid> Ids { get; } = [];
        public IReadOnlyDictionary<string, string> Names => _names;

        public Guid Id(string name)
        {
            if (!Ids.TryGetValue(name, out var id))
            {
                id = Guid.NewGuid();
                Ids[name] = id;
                _names[id.ToString()] = name;
            }
            return id;
        }

        public void Add(IIntegrationEvent message) => Events.Add(message);
    }
}
