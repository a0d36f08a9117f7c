using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Teams with join/leave history and their events; yearly obligations per volunteer, team, station and township.</summary>
public sealed class TeamsAndObligationsTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;
    private const string Teams = Path + "/teams";

    private static async Task<Guid> CreateTeamAsync(HttpClient client, object body) =>
        (await client.PostAsync(Teams, body, HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task Teams_nest_by_tier_and_members_join_and_leave_with_history_and_events()
    {
        using var client = factory.CreateClient();
        var leader = await client.RegisterApprovedAsync("队长");
        var township = await CreateTeamAsync(client, new { name = "青阳镇志愿服务支队", tier = "Township", homeStationCode = "321324104" });
        var village = await CreateTeamAsync(client, new { name = "大楼社区志愿服务大队", tier = "Village", homeStationCode = "321324104201", parentTeamId = township });
        var team = await CreateTeamAsync(client, new
        {
            name = "党员先锋队", tier = "Team", type = "PartyVanguard", homeStationCode = "321324104201", parentTeamId = village, leaderVolunteerId = leader,
        });
        var sub = await CreateTeamAsync(client, new { name = "普法宣传分队", tier = "SubTeam", type = "LegalAwareness", homeStationCode = "321324104201", parentTeamId = team });
        var created = await factory.PublishedAsync<TeamCreated>(m => m.TeamId == team);
        Assert.Equal((TeamTier.Team, TeamType.PartyVanguard, village, leader, "321324104201"),
            (created.Tier, created.Type, created.ParentTeamId!.Value, created.LeaderVolunteerId!.Value, created.DivisionCode.Value));

        var member = await client.RegisterApprovedAsync("队员");
        await client.PostAsync($"{Teams}/{sub}/members", new { volunteerId = member }, HttpStatusCode.Created);
        await client.PostAsync($"{Teams}/{sub}/members", new { volunteerId = member }, HttpStatusCode.Conflict);
        var joined = await factory.PublishedAsync<TeamMemberJoined>(m => m.TeamId == sub && m.VolunteerId == member);
        Assert.Equal("321324104201", joined.DivisionCode.Value);
        Assert.Equal(1, (await client.GetAsync($"{Teams}/{sub}", HttpStatusCode.OK)).GetProperty("members").GetInt32());
        var byTeam = await client.GetAsync($"{Path}?teamId={sub}", HttpStatusCode.OK);
        Assert.Equal(member, byTeam.EnumerateArray().Single().GetProperty("id").GetGuid());

        factory.Clock.Advance(TimeSpan.FromDays(1));
        await client.PostAsync($"{Teams}/{sub}/members/{member}/leave", null, HttpStatusCode.OK);
        await client.PostAsync($"{Teams}/{sub}/members/{member}/leave", null, HttpStatusCode.NotFound);
        await factory.PublishedAsync<TeamMemberLeft>(m => m.TeamId == sub && m.VolunteerId == member);
        await client.PostAsync($"{Teams}/{sub}/members", new { volunteerId = member }, HttpStatusCode.Created);

        Assert.Equal(1, (await client.GetAsync($"{Teams}/{sub}/members", HttpStatusCode.OK)).GetArrayLength());
        var history = await client.GetAsync($"{Teams}/{sub}/members?history=true", HttpStatusCode.OK);
        Assert.Equal(2, history.GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, history[0].GetProperty("leftAt").ValueKind);
    }

    [Theory]
    [InlineData("Township", "321324104201", null, "homeStationCode")]
    [InlineData("Village", "321324104", null, "homeStationCode")]
    [InlineData("SubTeam", "321324104201", null, "parentTeamId")]
    [InlineData("Team", "321324", null, "homeStationCode")]
    [InlineData(null, "321324104201", null, "tier")]
    [InlineData("Team", "321324104201", "", "name")]
    public async Task Bad_teams_are_400_naming_the_field(string? tier, string code, string? name, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.PostAsync(Teams, new { name = name ?? "某队", tier, homeStationCode = code }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Teams_and_their_members_are_bounded_by_division()
    {
        using var county = factory.CreateClient();
        var teamB = await CreateTeamAsync(county, new { name = "双沟镇支队", tier = "Township", homeStationCode = "321324105" });
        var inA = await county.RegisterApprovedAsync("甲镇人", "321324104201");
        var pending = await county.RegisterAsync("未审", "321324105201");
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");

        await townshipA.GetAsync($"{Teams}/{teamB}", HttpStatusCode.NotFound);
        await townshipA.PostAsync($"{Teams}/{teamB}/members", new { volunteerId = inA }, HttpStatusCode.NotFound);
        await townshipA.PostAsync(Teams, new { name = "越权队", tier = "Township", homeStationCode = "321324105" }, HttpStatusCode.Forbidden);
        // B's admin cannot reach A's volunteer.
        await townshipB.PostAsync($"{Teams}/{teamB}/members", new { volunteerId = inA }, HttpStatusCode.BadRequest);
        await townshipB.PostAsync($"{Teams}/{teamB}/members", new { volunteerId = pending }, HttpStatusCode.Conflict);
        Assert.DoesNotContain(teamB, (await townshipA.GetAsync(Teams, HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
        Assert.Contains(teamB, (await townshipB.GetAsync(Teams, HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Obligations_follow_categories_and_team_membership_and_report_by_group()
    {
        using var client = factory.CreateClient();
        const string station = "321324106201";
        var cadre = await client.RegisterApprovedAsync("干部", station, ["Cadre"]);
        var candidate = await client.RegisterApprovedAsync("发展对象", station, ["PartyApplicant", "Cadre"]);
        var league = await client.RegisterApprovedAsync("入团", "321324106202", ["LeagueApplicant"]);
        var teacher = await client.RegisterApprovedAsync("教师", station, ["Teacher"]);
        var team = await CreateTeamAsync(client, new { name = "卫生治理队", tier = "Team", type = "Sanitation", homeStationCode = station });
        await client.PostAsync($"{Teams}/{team}/members", new { volunteerId = teacher }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/{cadre}/hours/credits", new { hours = 21, servedOn = "2026-02-01", reason = "补录" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/{candidate}/hours/credits", new { hours = 10, servedOn = "2026-02-01", reason = "补录" }, HttpStatusCode.Created);
        // Last year's hours do not count for this year.
        await client.PostAsync($"{Path}/{league}/hours/credits", new { hours = 10, servedOn = "2025-12-31", reason = "补录" }, HttpStatusCode.Created);

        var one = await client.GetAsync($"{Path}/{candidate}/obligations?year=2026", HttpStatusCode.OK);
        Assert.Equal((25m, 10m, 15m), (one.GetProperty("requiredHours").GetDecimal(), one.GetProperty("doneHours").GetDecimal(), one.GetProperty("shortHours").GetDecimal()));
        var teacherYear = await client.GetAsync($"{Path}/{teacher}/obligations?year=2026", HttpStatusCode.OK);
        Assert.Equal(20m, teacherYear.GetProperty("requiredHours").GetDecimal());
        var leagueLastYear = await client.GetAsync($"{Path}/{league}/obligations?year=2025", HttpStatusCode.OK);
        Assert.Equal((10m, 0m), (leagueLastYear.GetProperty("doneHours").GetDecimal(), leagueLastYear.GetProperty("shortHours").GetDecimal()));

        var byStation = await client.GetAsync($"{Path}/obligations?year=2026&under=321324106&groupBy=Station", HttpStatusCode.OK);
        var first = byStation.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == station);
        Assert.Equal((3, 65m, 31m, 35m), (first.GetProperty("volunteers").GetInt32(), first.GetProperty("requiredHours").GetDecimal(),
            first.GetProperty("doneHours").GetDecimal(), first.GetProperty("shortHours").GetDecimal()));
        var byTownship = await client.GetAsync($"{Path}/obligations?year=2026&under=321324106&groupBy=Township", HttpStatusCode.OK);
        var all = byTownship.GetProperty("groups").EnumerateArray().Single();
        Assert.Equal(("321324106", 4, 75m, 45m, 1), (all.GetProperty("key").GetString(), all.GetProperty("volunteers").GetInt32(),
            all.GetProperty("requiredHours").GetDecimal(), all.GetProperty("shortHours").GetDecimal(), all.GetProperty("met").GetInt32()));
        var byTeam = await client.GetAsync($"{Path}/obligations?year=2026&under=321324106&groupBy=Team", HttpStatusCode.OK);
        Assert.Equal("卫生治理队", byTeam.GetProperty("groups").EnumerateArray().Single().GetProperty("name").GetString());

        // By category each volunteer counts once, under what sets their requirement: the candidate who is also a cadre owes 25 h as a candidate.
        var byCategory = (await client.GetAsync($"{Path}/obligations?year=2026&under=321324106&groupBy=Category", HttpStatusCode.OK))
            .GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => (g.GetProperty("volunteers").GetInt32(), g.GetProperty("behind").GetInt32()));
        Assert.Equal(new Dictionary<string, (int, int)> { ["Cadre"] = (1, 0), ["LeagueApplicant"] = (1, 1), ["PartyApplicant"] = (1, 0), ["TeamMember"] = (1, 1) }, byCategory);

        // On 4 March about 17% of the year has passed: the candidate (10 of 25 h) is on track, the teacher and league applicant are behind.
        var behind = await client.GetAsync($"{Path}/obligations/behind?year=2026&under=321324106", HttpStatusCode.OK);
        Assert.Equal(new[] { league, teacher }.Order(), behind.EnumerateArray().Select(b => b.GetProperty("volunteerId").GetGuid()).Order());
        var lastYear = await client.GetAsync($"{Path}/obligations/behind?year=2025&under=321324106", HttpStatusCode.OK);
        Assert.Equal(3, lastYear.GetArrayLength());

        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        Assert.Empty((await otherTownship.GetAsync($"{Path}/obligations?year=2026&under=321324106", HttpStatusCode.OK)).GetProperty("groups").EnumerateArray());
        Assert.Equal(0, (await otherTownship.GetAsync($"{Path}/obligations/behind?under=321324106", HttpStatusCode.OK)).GetArrayLength());
        await otherTownship.GetAsync($"{Path}/{cadre}/obligations", HttpStatusCode.NotFound);
        await client.GetAsync($"{Path}/obligations?year=1999", HttpStatusCode.BadRequest);
        await client.GetAsync($"{Path}/obligations?groupBy=Planet", HttpStatusCode.BadRequest);
    }
}

/// <summary>Configured obligations and star thresholds replace the seed defaults.</summary>
public sealed class ConfiguredRulesTests
{
    [Fact]
    public void Configured_obligations_and_ladder_replace_the_defaults()
    {
        var options = new Domain.VolunteersOptions
        {
            Obligations = new() { ["Cadre"] = 30, ["Teacher"] = 5 },
            ObligationsByYear = new() { ["2027"] = new() { ["Cadre"] = 40 } },
            StarThresholds = [10, 20],
        };
        var policy = new Domain.ObligationPolicy(options);
        Assert.Equal(30 * 100, policy.RequiredHundredths(2026, [Domain.VolunteerCategory.Cadre], false));
        Assert.Equal(40 * 100, policy.RequiredHundredths(2027, [Domain.VolunteerCategory.Cadre], false));
        Assert.Equal(0, policy.RequiredHundredths(2026, [Domain.VolunteerCategory.Student], true));
        Assert.Equal(20 * 100, new Domain.ObligationPolicy().RequiredHundredths(2026, [Domain.VolunteerCategory.Student], true));
        Assert.Equal(2, new Domain.StarLadder(options).LevelFor(20 * 100));
        Assert.Throws<InvalidOperationException>(() => new Domain.ObligationPolicy(new() { Obligations = new() { ["Astronaut"] = 1 } }));
        Assert.Throws<InvalidOperationException>(() => new Domain.StarLadder(new() { StarThresholds = [300, 100] }));
    }
}
