using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// A parent team (大队) and its sub-team (分队), each holding one activity this year: v1 takes part in the parent's,
/// v2 (also a parent member) in the sub-team's.
/// </summary>
internal sealed record TeamScenario(Guid Parent, Guid Sub, Guid OtherTownshipTeam)
{
    public const string Station = "321324104221";
    public const string OtherStation = "321324105221";

    public static async Task<TeamScenario> RunAsync(ServiceFactory<ActivitiesModule> factory)
    {
        var feed = new Feed(factory);
        using var admin = factory.CreateClient();
        await feed.StationAsync(Station);
        await feed.StationAsync(OtherStation);
        var (v1, v2, v3) = (await feed.VolunteerAsync(Station), await feed.VolunteerAsync(Station), await feed.VolunteerAsync(Station));
        var parent = await Scheduling.TeamAsync(factory, Station, null, v1, v2);
        var sub = await Scheduling.TeamAsync(factory, Station, parent, v2, v3);
        var other = await Scheduling.TeamAsync(factory, OtherStation, null);
        var now = factory.Clock.GetUtcNow();
        var own = await feed.ActivityAsync(admin, now.AddDays(3), station: Station, extra: new { teamId = parent });
        var subs = await feed.ActivityAsync(admin, now.AddDays(4), station: Station, extra: new { teamId = sub });
        await admin.PostAsync($"{Route}/{own}/sign-ups", new { volunteerId = v1 }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{subs}/sign-ups", new { volunteerId = v2 }, HttpStatusCode.OK);
        await Scheduling.HoldAsync(factory, admin, own, now.AddDays(3), present: v1);
        await Scheduling.HoldAsync(factory, admin, subs, now.AddDays(4), present: v2);
        return new TeamScenario(parent, sub, other);
    }

    public static Dictionary<Guid, JsonElement> Below(JsonElement list) =>
        list.GetProperty("below").EnumerateArray().ToDictionary(t => t.GetProperty("teamId").GetGuid());
}

/// <summary>Team cadence across teams, each team counting only its own activities (the default).</summary>
public sealed class TeamCadenceTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    [Fact]
    public async Task A_township_lists_its_teams_below_12_activities_or_70_percent_and_a_sub_team_counts_only_for_itself()
    {
        var scenario = await TeamScenario.RunAsync(factory);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        var list = await township.GetAsync($"{Route}/cadence/teams?year=2026", HttpStatusCode.OK);
        Assert.False(list.GetProperty("countsSubTeams").GetBoolean());
        var below = TeamScenario.Below(list);
        var parent = below[scenario.Parent];
        // Its own activity only; of its two members only v1 took part in it.
        Assert.Equal((1, 12, 2, 1, 0.5m), (parent.GetProperty("heldActivities").GetInt32(), parent.GetProperty("requiredActivities").GetInt32(),
            parent.GetProperty("members").GetInt32(), parent.GetProperty("participants").GetInt32(), parent.GetProperty("participationRate").GetDecimal()));
        Assert.Equal(1, below[scenario.Sub].GetProperty("heldActivities").GetInt32());
        Assert.False(below.ContainsKey(scenario.OtherTownshipTeam));
        Assert.True(TeamScenario.Below(await factory.CreateClient().GetAsync($"{Route}/cadence/teams?under=321324&year=2026", HttpStatusCode.OK))
            .ContainsKey(scenario.OtherTownshipTeam));

        // The one team's report says the same.
        var one = await township.GetAsync($"{Route}/cadence/teams/{scenario.Parent}/2026", HttpStatusCode.OK);
        Assert.Equal(1, one.GetProperty("heldActivities").GetInt32());
        AssertNamesField(await township.GetAsync($"{Route}/cadence/teams?year=1900", HttpStatusCode.BadRequest), "year");
    }
}

/// <summary>Team cadence where the county counts a sub-team's activities for its parent (configuration), with a rule of 2 a year.</summary>
public sealed class SubTeamCadenceTests(SubTeamsCountedFactory factory) : IClassFixture<SubTeamsCountedFactory>
{
    [Fact]
    public async Task A_sub_teams_activities_count_for_its_parent_so_the_parent_meets_the_rule_and_leaves_the_list()
    {
        var scenario = await TeamScenario.RunAsync(factory);
        using var county = factory.CreateClient();

        var one = await county.GetAsync($"{Route}/cadence/teams/{scenario.Parent}/2026", HttpStatusCode.OK);
        // Its own and its sub-team's; v1 and v2 both took part in one of them.
        Assert.Equal((2, 2, 2, true, true), (one.GetProperty("heldActivities").GetInt32(), one.GetProperty("requiredActivities").GetInt32(),
            one.GetProperty("participants").GetInt32(), one.GetProperty("activitiesMet").GetBoolean(), one.GetProperty("participationMet").GetBoolean()));
        Assert.Equal([scenario.Sub], one.GetProperty("subTeamsCounted").EnumerateArray().Select(t => t.GetGuid()));

        var list = await county.GetAsync($"{Route}/cadence/teams?under=321324104&year=2026", HttpStatusCode.OK);
        Assert.True(list.GetProperty("countsSubTeams").GetBoolean());
        var below = TeamScenario.Below(list);
        Assert.False(below.ContainsKey(scenario.Parent));
        // The sub-team still answers for its own: one activity of two.
        Assert.Equal(1, below[scenario.Sub].GetProperty("heldActivities").GetInt32());
    }
}
