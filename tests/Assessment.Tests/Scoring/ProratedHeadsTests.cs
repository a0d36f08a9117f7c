using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Scoring.ScoringFacts;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>
/// Per-head yearly hours (人均年服务时间) count each member for the part of the period they belonged (seed), by the one rule
/// the volunteers service's averages count too (<c>Membership</c> in ServiceDefaults): the time belonged ÷ the period's
/// length in China days, a suspension taking nothing away, and only the hours credited while a member. These tests
/// replace the branch's first rule (days read at each day's end, every month weighing the same, suspensions removing
/// days, every hour of the period), which counted the same seed rule differently from the volunteers service. The
/// explanation shows the fractional heads and how each part-time head was counted. Each test works in a township of its own.
/// </summary>
public sealed class ProratedHeadsTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";
    private static int _village;

    /// <summary>China midnight starting 2026-<paramref name="month"/>-<paramref name="day"/>.</summary>
    private static DateTimeOffset Midnight(int month, int day) => ChinaTime.Day(new DateOnly(2026, month, day)).Start;

    [Fact]
    public async Task A_team_member_who_joined_on_1_October_is_92_of_365_of_a_head_in_the_year_with_the_hours_credited_while_a_member()
    {
        const string station = "321324121201";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(station, "秋实村");
        var team = await facts.TeamAsync(station, "卫生治理队");
        var (allYear, october) = (Guid.NewGuid(), Guid.NewGuid());
        await facts.MembershipAsync(team, allYear, Before);
        await facts.MembershipAsync(team, october, Midnight(10, 1));
        await facts.HoursAsync(allYear, 16m, On(3, 10));
        await facts.HoursAsync(allYear, 5m, On(11, 2));
        // Served before joining the team: theirs, not the team's.
        await facts.HoursAsync(october, 3m, On(9, 20));
        await facts.HoursAsync(october, 4m, On(10, 20));
        using var client = factory.CreateClient();

        var year = Indicator(await ScoreAsync(client, station, "2026"), "teamHoursPerHead");
        var fourth = Indicator(await ScoreAsync(client, station, "2026-Q4"), "teamHoursPerHead");
        var third = Indicator(await ScoreAsync(client, station, "2026-Q3"), "teamHoursPerHead");

        // 16 + 5 + 4 = 25 hours over 1 + 92/365 heads (October to December, of the year's 365 days): 19.97 a head, where
        // counting the newcomer whole gave 12.5 and counting their 3 hours from before joining would give 22.36.
        var heads = Math.Round(1m + 92m / 365m, 4);
        Assert.Equal((1.2521m, Math.Round(25m / heads, 4)), (Heads(year), year.Value));
        Assert.Contains($"25 小时 ÷ 1.2521 人 = {ScoreMath.Show(Math.Round(25m / heads, 4))}", year.Rule);
        Assert.Contains(new FactLine("全期在册 1 人，各计 1 人", 1m, Source: "teamMembership"), year.Facts);
        Assert.Contains(new FactLine($"志愿者 {october.ToString()[..8]} 在册 2026-10-01 至 2026-12-31：92 ÷ 365 天 = 0.2521 人", 0.2521m, Source: "teamMembership"),
            year.Facts);
        Assert.Contains(new FactLine("服务时长合计（小时）", 25m, Source: "volunteer.hours"), year.Facts);
        // In the fourth quarter both belonged throughout; in the third the newcomer had not joined, and the hours stay the quarter's.
        Assert.Equal((2m, 4.5m), (Heads(fourth), fourth.Value));
        Assert.Equal((1m, 0m), (Heads(third), third.Value));
    }

    [Fact]
    public async Task A_cadre_approved_mid_year_counts_from_the_day_of_approval_and_a_suspended_one_still_counts_whole()
    {
        const string station = "321324122201";
        var division = DivisionCode.Parse(station);
        await new ScoringFacts(factory).StationAsync(station, "夏至村");
        var (steady, newcomer, applicant) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await factory.DeliverAsync([
            new VolunteerApproved(Guid.NewGuid(), Before, division, steady, "李书记", null, station, ["Cadre"]),
            new VolunteerApproved(Guid.NewGuid(), On(7, 16), division, newcomer, "王委员", null, station, ["Cadre"]),
            new VolunteerApproved(Guid.NewGuid(), Before, division, applicant, "赵青", null, station, ["LeagueApplicant"]),
            // Suspended from 16 May until 1 June: still one of the group, as leaving them out would flatter its average.
            new VolunteerSuspended(Guid.NewGuid(), On(5, 16), division, applicant, "请假"),
            new VolunteerReinstated(Guid.NewGuid(), On(6, 1), division, applicant),
            Hours(division, steady, 12m, On(3, 1)),
            Hours(division, newcomer, 8m, On(8, 1)),
            Hours(division, applicant, 6m, On(9, 1)),
        ]);
        using var client = factory.CreateClient();

        var year = await ScoreAsync(client, station, "2026");
        var july = await ScoreAsync(client, station, "2026-07");
        var june = await ScoreAsync(client, station, "2026-06");
        var may = await ScoreAsync(client, station, "2026-05");

        // Approved at 10:00 on 16 July, counted from that China day: 16 July to 31 December is 169 of the year's 365 days.
        var cadres = Indicator(year, "cadreHoursPerHead");
        var newcomerShare = Math.Round(169m / 365m, 4);
        Assert.Equal(Math.Round(1m + 169m / 365m, 4), Heads(cadres));
        Assert.Equal(Math.Round(20m / Heads(cadres), 4), cadres.Value);
        Assert.Contains(new FactLine($"王委员 在册 2026-07-16 至 2026-12-31：169 ÷ 365 天 = {ScoreMath.Show(newcomerShare)} 人", newcomerShare, Source: "volunteers"),
            cadres.Facts);
        Assert.Equal(Math.Round(1m + 16m / 31m, 4), Heads(Indicator(july, "cadreHoursPerHead")));
        // Before the approval the newcomer is nobody's head: June counts the steady cadre alone.
        Assert.Equal(1m, Heads(Indicator(june, "cadreHoursPerHead")));
        Assert.Contains(Indicator(june, "cadreHoursPerHead").Facts, f => f.Label == "全期在册 1 人，各计 1 人");

        // The suspended applicant is a whole head in the year and in May.
        var league = Indicator(year, "leagueApplicantHoursPerHead");
        Assert.Equal((1m, 6m), (Heads(league), league.Value));
        Assert.Contains(new FactLine("全期在册 1 人，各计 1 人", 1m, Source: "volunteers"), league.Facts);
        Assert.Equal(1m, Heads(Indicator(may, "leagueApplicantHoursPerHead")));
    }

    [Fact]
    public async Task A_member_who_left_and_rejoined_counts_for_both_spells_and_one_in_two_teams_is_one_head()
    {
        const string station = "321324123201";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(station, "归来村");
        var (pioneers, health) = (await facts.TeamAsync(station, "党员先锋队"), await facts.TeamAsync(station, "卫生治理队"));
        var (rejoined, sameDay, twoTeams, fewHours) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // Left at 10:00 on 1 April, back at 10:00 on 1 July: 90 days and 10 hours, then 184 days less 10 hours: 274 days.
        await facts.MembershipAsync(pioneers, rejoined, Before);
        await facts.MembershipAsync(pioneers, rejoined, On(4, 1), joined: false);
        await facts.MembershipAsync(pioneers, rejoined, On(7, 1));
        // Left and came back two hours later: the year less those two hours.
        await facts.MembershipAsync(pioneers, sameDay, Before);
        await facts.MembershipAsync(pioneers, sameDay, On(5, 10), joined: false);
        await facts.MembershipAsync(pioneers, sameDay, On(5, 10).AddHours(2));
        // In the first team until July and the second from April: one head over the whole year, not 1.25.
        await facts.MembershipAsync(pioneers, twoTeams, Before);
        await facts.MembershipAsync(pioneers, twoTeams, On(7, 1), joined: false);
        await facts.MembershipAsync(health, twoTeams, On(4, 1));
        // A member for three hours: three hours of a head, and hours credited after leaving are not the team's.
        await facts.MembershipAsync(health, fewHours, On(8, 8));
        await facts.MembershipAsync(health, fewHours, On(8, 8).AddHours(3), joined: false);
        await facts.HoursAsync(rejoined, 5m, On(2, 1));
        await facts.HoursAsync(twoTeams, 6m, On(9, 1));
        await facts.HoursAsync(fewHours, 40m, On(8, 8).AddHours(5));
        using var client = factory.CreateClient();

        var year = Indicator(await ScoreAsync(client, station, "2026"), "teamHoursPerHead");
        var april = Indicator(await ScoreAsync(client, station, "2026-04"), "teamHoursPerHead");

        var heads = Math.Round((274m + (365m - 2m / 24m) + 365m + 3m / 24m) / 365m, 4);
        Assert.Equal((2.7508m, Math.Round(11m / heads, 4)), (Heads(year), year.Value));
        Assert.Contains($"11 小时 ÷ 2.7508 人 = {ScoreMath.Show(Math.Round(11m / heads, 4))}", year.Rule);
        Assert.Contains(new FactLine("全期在册 1 人，各计 1 人", 1m, Source: "teamMembership"), year.Facts);
        Assert.Contains($"志愿者 {rejoined.ToString()[..8]} 在册 2026-01-01 至 2026-04-01 10:00、2026-07-01 10:00 至 2026-12-31：274 ÷ 365 天 = 0.7507 人",
            year.Facts.Select(f => f.Label));
        Assert.Contains($"志愿者 {sameDay.ToString()[..8]} 在册 2026-01-01 至 2026-05-10 10:00、2026-05-10 12:00 至 2026-12-31：364.92 ÷ 365 天 = 0.9998 人",
            year.Facts.Select(f => f.Label));
        Assert.Contains(year.Facts, f => f.Label.StartsWith($"志愿者 {fewHours.ToString()[..8]} 在册 2026-08-08 10:00 至 2026-08-08 13:00：", StringComparison.Ordinal));
        // April: the one who left had its first ten hours, the other two belonged all month.
        Assert.Equal(Math.Round(2m + 10m / (30m * 24m), 4), Heads(april));
    }

    [Fact]
    public async Task Membership_approval_and_suspension_events_in_any_order_and_duplicated_give_the_same_heads()
    {
        var reference = History.Make(NextVillage());
        await factory.DeliverAsync(reference.Events);
        using var client = factory.CreateClient();
        var expected = await PerHeadAsync(client, reference);
        // The history's heads, as counted in order: the team 274 days (left 1 April, back 1 July, both at 10:00) and the
        // newcomer's 92 days less 10 hours; the cadre from 16 July, the suspension taking nothing away.
        Assert.Contains($"teamHoursPerHead 人数（按期内在册天数折算） = {ScoreMath.Show(Math.Round((274m + 92m - 10m / 24m) / 365m, 4))}", expected);
        Assert.Contains($"cadreHoursPerHead 人数（按期内在册天数折算） = {ScoreMath.Show(Math.Round(169m / 365m, 4))}", expected);

        var random = new Random(14);
        foreach (var order in new Func<List<IIntegrationEvent>, IEnumerable<IIntegrationEvent>>[]
                 {
                     events => Enumerable.Reverse(events),
                     events => [.. events.Skip(events.Count / 2), .. events.Take(events.Count / 2)],
                     events =>
                     {
                         // Shuffled, with three events delivered twice.
                         List<IIntegrationEvent> shuffled = [.. events, events[1], events[4], events[8]];
                         random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
                         return shuffled;
                     },
                 })
        {
            var copy = History.Make(NextVillage());
            await factory.DeliverAsync(order(copy.Events));
            Assert.Equal(expected, await PerHeadAsync(client, copy));
        }
    }

    /// <summary>Every per-head indicator of the history's station, for the year and September: values, points, rules and facts, its ids named.</summary>
    private static async Task<List<string>> PerHeadAsync(HttpClient client, History history)
    {
        var lines = new List<string>();
        foreach (var period in new[] { "2026", "2026-09" })
        {
            var score = await ScoreAsync(client, history.Village, period);
            lines.Add($"{period} total {ScoreMath.ShowPoints(score.Total)}");
            foreach (var indicator in score.Indicators.Where(i => i.Code.EndsWith("HoursPerHead", StringComparison.Ordinal)))
            {
                lines.Add($"{period} {indicator.Code} = {indicator.Value?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} → {ScoreMath.ShowPoints(indicator.Points)}: {indicator.Rule}");
                lines.AddRange(indicator.Facts.Select(f => $"{indicator.Code} {f.Label} = {ScoreMath.Show(f.Value)}"));
            }
        }
        return [.. lines];
    }

    /// <summary>A village's team and cadre history (each copy with ids of its own, names alike), in the order it happened.</summary>
    private sealed record History(string Village, List<IIntegrationEvent> Events)
    {
        public static History Make(string village)
        {
            var division = DivisionCode.Parse(village);
            var (team, member, newcomer, cadre) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            List<IIntegrationEvent> events =
            [
                new StationRegistered(Guid.NewGuid(), Before, division, Guid.NewGuid(), village, "顺序村", StationKind.Village, village[..9]),
                new TeamCreated(Guid.NewGuid(), Before, division, team, "政策宣讲队", TeamTier.Team, TeamType.General, null, village, null),
                new VolunteerApproved(Guid.NewGuid(), Before, division, member, "周明", null, village, ["Student"]),
                new VolunteerApproved(Guid.NewGuid(), Before, division, newcomer, "吴兰", null, village, []),
                new TeamMemberJoined(Guid.NewGuid(), Before.AddDays(1), division, team, member),
                new TeamMemberLeft(Guid.NewGuid(), On(4, 1), division, team, member),
                new TeamMemberJoined(Guid.NewGuid(), On(7, 1), division, team, member),
                new TeamMemberJoined(Guid.NewGuid(), On(10, 1), division, team, newcomer),
                new VolunteerApproved(Guid.NewGuid(), On(7, 16), division, cadre, "郑干部", null, village, ["Cadre"]),
                new VolunteerSuspended(Guid.NewGuid(), On(9, 1), division, cadre, "请假"),
                new VolunteerReinstated(Guid.NewGuid(), On(9, 20), division, cadre),
                Hours(division, member, 3m, On(2, 3)),
                Hours(division, cadre, 7.5m, On(9, 25)),
            ];
            return new(village, events);
        }
    }

    private static HoursCredited Hours(DivisionCode division, Guid volunteer, decimal hours, DateTimeOffset at) =>
        new(Guid.NewGuid(), at, division, volunteer, Guid.NewGuid(), null, hours, hours);

    private static string NextVillage() => $"3213241242{Interlocked.Increment(ref _village):00}";

    private static async Task<SubjectScore> ScoreAsync(HttpClient client, string station, string period) =>
        await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/{period}");

    private static IndicatorScore Indicator(SubjectScore score, string code) => score.Indicators.Single(i => i.Code == code);

    /// <summary>The heads the value was divided by, as the explanation states them.</summary>
    private static decimal Heads(IndicatorScore indicator) => indicator.Facts.Single(f => f.Label.StartsWith("人数", StringComparison.Ordinal)).Value;
}
