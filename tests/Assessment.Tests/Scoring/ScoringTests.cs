using System.Net;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Scoring.ScoringFacts;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>
/// A station with known facts in March 2026, scored with the default scheme (version 0) over HTTP: each indicator's
/// value, points and explanation. The fixture is shared, so the station is built once and each other test works in a
/// township of its own.
/// </summary>
public sealed class ScoringTests(AssessmentFactory factory, ScoringTests.MarchStation march) : IClassFixture<AssessmentFactory>, IClassFixture<ScoringTests.MarchStation>
{
    private const string Path = "/api/v1/assessment";

    /// <summary>李庄村 (321324101201): one fact or event for every indicator, built once.</summary>
    public sealed class MarchStation
    {
        public const string Code = "321324101201";
        private readonly SemaphoreSlim _gate = new(1, 1);
        private bool _built;

        public async Task EnsureAsync(ServiceFactory<AssessmentModule> factory)
        {
            await _gate.WaitAsync();
            try
            {
                if (!_built)
                {
                    await BuildAsync(new ScoringFacts(factory));
                    _built = true;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        private static async Task BuildAsync(ScoringFacts facts)
        {
            await facts.StationAsync(Code, "李庄村新时代文明实践站");
            await facts.SixHavesAsync(Code, On(3, 2), compliant: true);
            await facts.StaffingAsync(Code, On(2, 1), staff: 2, met: true);
            // The latest statement before the end decides: staffing fell short in March.
            await facts.StaffingAsync(Code, On(3, 5), staff: 1, met: false);

            // Two teams: the first held one activity, where one of its two members took part; the second none.
            var (pioneers, health) = (await facts.TeamAsync(Code, "党员先锋队"), await facts.TeamAsync(Code, "卫生治理队"));
            var (v1, v2, v3, v4) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            await facts.MembershipAsync(pioneers, v1, On(2, 1));
            await facts.MembershipAsync(pioneers, v2, On(2, 1));
            await facts.MembershipAsync(pioneers, v3, On(2, 1));
            await facts.MembershipAsync(pioneers, v3, On(3, 20), joined: false);
            await facts.MembershipAsync(health, v4, On(2, 1));
            await facts.HoursAsync(v1, 2m, On(3, 10));
            await facts.HoursAsync(v2, 1m, On(3, 12));

            // Hours 2 + 4 + 4 = 10; one activity announced in advance counts toward the two a month, a late one does not.
            await facts.ActivityAsync(Code, On(3, 10), pioneers, announcedLate: false, (v1, 2m));
            await facts.ActivityAsync(Code, On(3, 15), null, announcedLate: true, (Guid.NewGuid(), 4m), (Guid.NewGuid(), 4m));
            await facts.ActivityAsync(Code, On(3, 18));

            var cadres = (await facts.VolunteerAsync(Code, "Cadre"), await facts.VolunteerAsync(Code, "Cadre", "Teacher"));
            await facts.HoursAsync(cadres.Item1, 1m, On(3, 3));
            await facts.HoursAsync(cadres.Item2, 3m, On(3, 4));
            // Hours outside the month do not count in it.
            await facts.HoursAsync(cadres.Item2, 30m, On(4, 4));
            var candidate = await facts.VolunteerAsync(Code, "PartyApplicant");
            await facts.VolunteerAsync(Code, "PromotionCandidate");
            await facts.HoursAsync(candidate, 1m, On(3, 6));
            var league = await facts.VolunteerAsync(Code, "LeagueApplicant");
            await facts.HoursAsync(league, 0.5m, On(3, 7));
            await facts.VolunteerAsync(Code, "Student");

            await facts.RatingAsync(Code, 5, On(3, 11));
            await facts.RatingAsync(Code, 4, On(3, 12));
            await facts.RatingAsync(Code, 4, On(3, 13));
            await facts.OrderAsync(Code, On(3, 8), overdue: false);
            await facts.OrderAsync(Code, On(3, 9), overdue: false);
            await facts.OrderAsync(Code, On(3, 10), overdue: true);
            await facts.CareVisitAsync(Code, On(3, 14));
            await facts.CareVisitAsync(Code, On(3, 15));
            await facts.CaseAsync(Code, On(3, 1), On(3, 3), onTime: true);
            await facts.CaseAsync(Code, On(3, 2), On(3, 9), onTime: false);
            await facts.CaseAsync(Code, On(3, 4));
        }
    }

    [Theory]
    [InlineData("sixHaves", "1", "15.00", "六有 6/6 项达标")]
    [InlineData("staffingMet", "0", "0.00", "未达标 = 0")]
    [InlineData("concentratedActivities", "1", "7.50", "1 ÷ 2 × 15 = 7.50")]
    [InlineData("teamActivities", "0.5", "5.00", "1 次 ÷ 2 支队伍 = 0.5")]
    [InlineData("teamParticipation", "0.25", "3.57", "2 支队伍参与率的平均 = 25%")]
    [InlineData("cadreHoursPerHead", "2", "8.00", "min(1, 2 ÷ 1.6667) × 8 = 8.00")]
    // The third pioneer left at 10:00 on 20 March: members count for the part of the period they belonged (the one rule
    // the volunteers service counts too: time belonged ÷ the period's time), so 19 days and 10 hours of March's 31 days,
    // 466 of its 744 hours, 0.6263 of a head, beside the three who stayed all month.
    [InlineData("teamHoursPerHead", "0.8273", "2.48", "3 小时 ÷ 3.6263 人 = 0.8273")]
    [InlineData("candidateHoursPerHead", "0.5", "0.96", "1 小时 ÷ 2 人 = 0.5")]
    [InlineData("leagueApplicantHoursPerHead", "0.5", "1.80", "10 小时/人/年 × 1 ÷ 12 月 = 0.8333")]
    [InlineData("serviceHours", "10", "2.50", "10 ÷ 20 × 5 = 2.50")]
    [InlineData("averageRating", "4.3333", "6.00", "4.3333 ≥ 0.9 × 4.5 = 4.05 → 6.00")]
    [InlineData("ordersOnTime", "0.6667", "3.70", "2 ÷ 3 = 66.67%")]
    [InlineData("careVisits", "2", "2.00", "2 ÷ 4 × 4 = 2.00")]
    [InlineData("casesClosedOnTime", "0.5", "2.78", "1 ÷ 2 = 50%")]
    public async Task Each_indicator_shows_its_value_points_and_how_they_came_about(string code, string value, string points, string explained)
    {
        var score = await MarchScoreAsync();

        var indicator = Assert.Single(score.Indicators, i => i.Code == code);
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), indicator.Value);
        Assert.Equal(decimal.Parse(points, System.Globalization.CultureInfo.InvariantCulture), indicator.Points);
        Assert.Contains(explained, indicator.Rule + " | " + string.Join(" | ", indicator.Facts.Select(f => f.Label)));
    }

    [Fact]
    public async Task The_explanation_lists_the_facts_behind_a_value()
    {
        var score = await MarchScoreAsync();

        var concentrated = score.Indicators.Single(i => i.Code == "concentratedActivities");
        Assert.Equal([new FactLine("2026-03 集中实践活动", 1, "2026-03", "activities.concentrated")], concentrated.Facts);
        var participation = score.Indicators.Single(i => i.Code == "teamParticipation");
        Assert.Equal(["党员先锋队 参与 1 / 成员 2", "卫生治理队 参与 0 / 成员 1"], participation.Facts.Select(f => f.Label).Order());
        var cases = score.Indicators.Single(i => i.Code == "casesClosedOnTime");
        Assert.Equal([2m, 1m], cases.Facts.Select(f => f.Value));
    }

    [Fact]
    public async Task The_total_is_the_points_less_the_deductions_with_its_star_band_and_scheme_version()
    {
        var score = await MarchScoreAsync();

        var deduction = Assert.Single(score.Deductions);
        Assert.Equal(("staffingShort", 3m, "staffingMet"), (deduction.Code, deduction.Points, deduction.Indicator));
        Assert.Equal(score.Indicators.Sum(i => i.Points) - 3m, score.Total);
        // 2.48 for teams' per-head hours, not 3.00: the pioneer who left at 10:00 on 20 March still counts for 0.6263 of March.
        Assert.Equal(58.29m, score.Total);
        Assert.Equal((1, "一星级实践站"), (score.Stars, score.StarName));
        Assert.Equal(new("321324", 2026, 0), score.Scheme);
        Assert.Equal(("2026-03", "李庄村新时代文明实践站"), (score.Period, score.Name));
    }

    [Fact]
    public async Task A_quarter_and_a_year_prorate_the_targets()
    {
        const string station = "321324102201";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(station, "王庄村");
        var team = await facts.TeamAsync(station, "文明实践队");
        await facts.ActivityAsync(station, On(1, 10), team, announcedLate: false);
        await facts.ActivityAsync(station, On(2, 10), null, announcedLate: false);
        await facts.ActivityAsync(station, On(3, 10), null, announcedLate: false);
        await facts.ActivityAsync(station, On(3, 20), null, announcedLate: false);
        using var client = factory.CreateClient();

        var quarter = await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/2026-Q1");
        var year = await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/2026");

        var concentrated = quarter.Indicators.Single(i => i.Code == "concentratedActivities");
        Assert.Equal((4m, 6m), (concentrated.Value, concentrated.Target));
        // Without team members, ratings, orders, cases or categorised volunteers, 52 of the 100 points apply.
        Assert.Equal("1 + 1 + 2 = 4 次；目标 2 次/月 × 3 月 = 6；4 ÷ 6 × 15 = 10.00；不适用指标的权重分摊：× 100 ÷ 52 = 19.23", concentrated.Rule);
        Assert.Equal(19.23m, concentrated.Points);
        Assert.Equal(3, concentrated.Facts.Count);
        var teamActivities = quarter.Indicators.Single(i => i.Code == "teamActivities");
        Assert.Equal((1m, 3m), (teamActivities.Value, teamActivities.Target));
        Assert.Contains("12 次/年 × 3 ÷ 12 月 = 3", teamActivities.Rule);
        Assert.Equal(24m, year.Indicators.Single(i => i.Code == "concentratedActivities").Target);
        Assert.Equal(12m, year.Indicators.Single(i => i.Code == "teamActivities").Target);
        Assert.Equal(12, year.Indicators.Single(i => i.Code == "concentratedActivities").Facts.Count);
    }

    [Fact]
    public async Task Indicators_with_nothing_to_measure_spread_their_weight_over_the_others()
    {
        const string station = "321324102202";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(station, "张庄村");
        await facts.SixHavesAsync(station, On(1, 5), compliant: true);
        await facts.StaffingAsync(station, On(1, 5), staff: 2, met: true);
        await facts.ActivityAsync(station, On(3, 10), null, announcedLate: false, (Guid.NewGuid(), 10m));
        await facts.ActivityAsync(station, On(3, 12), null, announcedLate: false, (Guid.NewGuid(), 10m));
        using var client = factory.CreateClient();

        var score = await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/2026-03");

        // No teams, volunteers, ratings, orders or cases: six haves (15), the two a month (15), service hours (5), care visits
        // (4, none made is a value: 0) and staffing (3) apply, 42 of 100, and each earns its weight × 100 ÷ 42.
        var notApplicable = score.Indicators.Where(i => i.Value is null).Select(i => i.Code).Order().ToList();
        Assert.Equal(["averageRating", "cadreHoursPerHead", "candidateHoursPerHead", "casesClosedOnTime", "leagueApplicantHoursPerHead",
            "ordersOnTime", "teamActivities", "teamHoursPerHead", "teamParticipation"], notApplicable);
        Assert.All(score.Indicators.Where(i => i.Value is null), i => Assert.Equal(0m, i.Points));
        Assert.Contains("不适用", score.Indicators.Single(i => i.Code == "averageRating").Rule);
        var sixHaves = score.Indicators.Single(i => i.Code == "sixHaves");
        Assert.Equal((35.71m, 35.71m), (sixHaves.Points, sixHaves.Weight));
        Assert.Contains("× 100 ÷ 42", sixHaves.Rule);
        Assert.Equal((0m, 0m), (score.Indicators.Single(i => i.Code == "careVisits").Value, score.Indicators.Single(i => i.Code == "careVisits").Points));
        Assert.Equal(35.71m + 35.71m + 11.90m + 7.14m, score.Total);
        Assert.Equal((5, "五星级实践站"), (score.Stars, score.StarName));
        Assert.Empty(score.Deductions);
    }

    [Fact]
    public async Task A_completion_corrected_to_nobody_takes_its_points_away_and_the_explanation_says_so()
    {
        const string station = "321324107201";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(station, "七里村");
        var team = await facts.TeamAsync(station, "政策宣讲队");
        var volunteer = Guid.NewGuid();
        await facts.MembershipAsync(team, volunteer, On(1, 1));
        var completed = await facts.ActivityAsync(station, On(3, 10), team, announcedLate: false, (volunteer, 4m));
        using var client = factory.CreateClient();
        var before = await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/2026-03");

        await factory.DeliverAsync([new ActivityCompletionCorrected(Guid.NewGuid(), completed.OccurredAt.AddDays(1), completed.DivisionCode, completed.ActivityId,
            station, team, completed.Category, completed.StartsAt, completed.EndsAt, "签到记录有误", [new(volunteer, 4m, 0m, -4m)], 0)]);
        var after = await client.GetAsync<SubjectScore>($"{Path}/stations/{station}/scores/2026-03");

        decimal? Value(SubjectScore score, string code) => score.Indicators.Single(i => i.Code == code).Value;
        Assert.Equal((1m, 4m, 1m), (Value(before, "concentratedActivities"), Value(before, "serviceHours"), Value(before, "teamParticipation")));
        Assert.Equal((0m, 0m, 0m), (Value(after, "concentratedActivities"), Value(after, "serviceHours"), Value(after, "teamParticipation")));
        Assert.True(after.Total < before.Total, $"{after.Total} < {before.Total}");
        Assert.Equal(["政策宣讲队 参与 0 / 成员 1"], after.Indicators.Single(i => i.Code == "teamParticipation").Facts.Select(f => f.Label));
        Assert.StartsWith("0 = 0 次", after.Indicators.Single(i => i.Code == "concentratedActivities").Rule);
    }

    [Fact]
    public async Task Stations_rank_within_their_township_and_ties_share_a_rank()
    {
        const string township = "321324103";
        var facts = new ScoringFacts(factory);
        foreach (var (code, name) in new[] { ("321324103201", "一村"), ("321324103202", "二村"), ("321324103203", "三村"), ("321324103204", "四村") })
        {
            await facts.StationAsync(code, name);
        }
        await facts.StationAsync(township, "三庄镇新时代文明实践所", StationKind.Institute);
        await facts.StationAsync("321324109201", "外镇村");
        await facts.ActivityAsync("321324103201", On(3, 3), null, announcedLate: false);
        await facts.ActivityAsync("321324103201", On(3, 4), null, announcedLate: false);
        await facts.ActivityAsync("321324103203", On(3, 5), null, announcedLate: false);
        await facts.ActivityAsync("321324103202", On(3, 6), null, announcedLate: false);
        using var client = factory.CreateClient();

        var ranking = await client.GetAsync<RankingResponse>($"{Path}/rankings?period=2026-03&tier=Station&under={township}");

        Assert.Equal([(1, "321324103201"), (2, "321324103202"), (2, "321324103203"), (4, "321324103204")],
            ranking.Items.Select(i => (i.Rank, i.Subject)));
        Assert.Equal(("2026-03", township, new SchemeRefDto("321324", 2026, 0)), (ranking.Period, ranking.Under, new SchemeRefDto(ranking.Scheme.County, ranking.Scheme.Year, ranking.Scheme.Version)));
        Assert.True(ranking.Items[0].Total > ranking.Items[1].Total && ranking.Items[1].Total == ranking.Items[2].Total && ranking.Items[2].Total > ranking.Items[3].Total);

        // A station's head sees their own place in the township's ranking, and only it.
        using var stationAdmin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324103203");
        var own = await stationAdmin.GetAsync<RankingResponse>($"{Path}/rankings?period=2026-03&tier=Station");
        Assert.Equal([(2, "321324103203")], own.Items.Select(i => (i.Rank, i.Subject)));
    }

    [Fact]
    public async Task An_institute_is_scored_over_every_site_of_its_township_and_ranked_within_the_county()
    {
        const string township = "321324105";
        var facts = new ScoringFacts(factory);
        await facts.StationAsync(township, "五里镇新时代文明实践所", StationKind.Institute);
        await facts.StationAsync("321324105201", "东村");
        await facts.StationAsync("321324105202", "西村");
        await facts.SixHavesAsync("321324105201", On(1, 5), compliant: true);
        await facts.SixHavesAsync("321324105202", On(1, 5), compliant: false);
        await facts.ActivityAsync("321324105201", On(3, 3), null, announcedLate: false);
        await facts.ActivityAsync("321324105201", On(3, 4), null, announcedLate: false);
        await facts.ActivityAsync("321324105202", On(3, 5), null, announcedLate: false);
        var cadre = await facts.VolunteerAsync("321324105201", "Cadre");
        var other = await facts.VolunteerAsync("321324105202", "Cadre");
        await facts.HoursAsync(cadre, 3m, On(3, 6));
        await facts.HoursAsync(other, 1m, On(3, 6));
        await facts.StationAsync("321324106201", "邻镇村");
        using var client = factory.CreateClient();

        var score = await client.GetAsync<SubjectScore>($"{Path}/institutes/{township}/scores/2026-03");

        Assert.Equal(("五里镇新时代文明实践所", PracticeMesh.Assessment.Schemes.AssessmentTier.Institute), (score.Name, score.Tier));
        var sixHaves = score.Indicators.Single(i => i.Code == "sixHaves");
        Assert.Equal(0.3333m, sixHaves.Value);
        Assert.Contains("1 ÷ 3 个站点达标", sixHaves.Rule);
        Assert.Equal(3, sixHaves.Facts.Count);
        var concentrated = score.Indicators.Single(i => i.Code == "concentratedActivities");
        Assert.Equal(1m, concentrated.Value);
        Assert.Contains("3 次 ÷ 3 个站点 = 1", concentrated.Rule);
        Assert.Equal(2m, score.Indicators.Single(i => i.Code == "cadreHoursPerHead").Value);

        var ranking = await client.GetAsync<RankingResponse>($"{Path}/rankings?period=2026-03&tier=Institute&under=321324");
        Assert.Contains(ranking.Items, i => i.Subject == township && i.Name == "五里镇新时代文明实践所" && i.Total == score.Total);
        Assert.Contains(ranking.Items, i => i.Subject == "321324106");
        Assert.All(ranking.Items, i => Assert.Equal(9, i.Subject.Length));
        Assert.Equal(ranking.Items.OrderByDescending(i => i.Total).Select(i => i.Total), ranking.Items.Select(i => i.Total));

        // A township's admin sees their own institute with its place in the county.
        using var townshipAdmin = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, township);
        var own = await townshipAdmin.GetAsync<RankingResponse>($"{Path}/rankings?period=2026-03&tier=Institute&under=321324");
        var mine = Assert.Single(own.Items);
        Assert.Equal((township, ranking.Items.Single(i => i.Subject == township).Rank), (mine.Subject, mine.Rank));
    }

    [Theory]
    [InlineData("/stations/321324101201/scores/2026-13", "period")]
    [InlineData("/stations/321324101201/scores/26", "period")]
    [InlineData("/stations/32132410120/scores/2026-03", "code")]
    [InlineData("/institutes/321324101201/scores/2026-03", "township")]
    [InlineData("/institutes/321324/scores/2026", "township")]
    [InlineData("/rankings?period=2026-Q5&tier=Station&under=321324101", "period")]
    [InlineData("/rankings?tier=Station&under=321324101", "period")]
    [InlineData("/rankings?period=2026-03&tier=Village&under=321324101", "tier")]
    [InlineData("/rankings?period=2026-03&tier=Station&under=321324", "under")]
    [InlineData("/rankings?period=2026-03&tier=Institute&under=32x", "under")]
    public async Task Bad_input_is_400_naming_the_field(string path, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync(Path + path, HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
    }

    [Fact]
    public async Task An_unknown_station_is_404_and_another_division_is_out_of_reach()
    {
        using var client = factory.CreateClient();
        await client.GetAsync($"{Path}/stations/321324101299/scores/2026-03", HttpStatusCode.NotFound);
        await client.GetAsync($"{Path}/institutes/321324199/scores/2026-03", HttpStatusCode.NotFound);

        await march.EnsureAsync(factory);
        using var neighbour = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324109");
        await neighbour.GetAsync($"{Path}/rankings?period=2026-03&tier=Station&under=321324101", HttpStatusCode.Forbidden);
        // A single record outside the caller's division does not exist for them, as everywhere else.
        await neighbour.GetAsync($"{Path}/stations/{MarchStation.Code}/scores/2026-03", HttpStatusCode.NotFound);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, MarchStation.Code);
        await volunteer.GetAsync($"{Path}/stations/{MarchStation.Code}/scores/2026-03", HttpStatusCode.Forbidden);
    }

    private async Task<SubjectScore> MarchScoreAsync()
    {
        await march.EnsureAsync(factory);
        using var client = factory.CreateClient();
        return await client.GetAsync<SubjectScore>($"{Path}/stations/{MarchStation.Code}/scores/2026-03");
    }

    private sealed record SchemeRefDto(string County, int Year, int Version);
}
