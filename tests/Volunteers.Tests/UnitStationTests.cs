using System.Net;
using System.Text;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>
/// Volunteers and teams at unit and mobile stations (321324121201-S01, 321324121-M01): registered, found, exported and
/// announced under their own station code, scoped by their place. Works in township 321324121.
/// </summary>
public sealed class UnitStationTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;
    private const string Teams = Path + "/teams";
    private const string School = "321324121201-S01";

    [Fact]
    public async Task A_volunteer_of_a_school_station_keeps_its_code_and_is_found_by_it_apart_from_the_villages_own()
    {
        using var client = factory.CreateClient();
        var pupil = await client.RegisterApprovedAsync("学校志愿者", School);
        var villager = await client.RegisterApprovedAsync("村志愿者", "321324121201");

        Assert.Equal(School, (await client.GetVolunteerAsync(pupil)).GetProperty("homeStationCode").GetString());
        var approved = await factory.PublishedAsync<VolunteerApproved>(m => m.VolunteerId == pupil);
        Assert.Equal("321324121201", approved.DivisionCode.Value);
        var atSchool = await client.GetAsync($"{Path}?station={School}", HttpStatusCode.OK);
        Assert.Equal([pupil], atSchool.EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
        var atVillage = await client.GetAsync($"{Path}?station=321324121201", HttpStatusCode.OK);
        Assert.Equal([villager], atVillage.EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
        var underVillage = await client.GetAsync($"{Path}?under=321324121201", HttpStatusCode.OK);
        Assert.Equal(2, underVillage.GetArrayLength());
        using var export = await client.GetAsync($"{Path}/export?station={School}&format=csv");
        var csv = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains($",{School}", csv);
        Assert.Contains("学校志愿者", csv);
    }

    [Fact]
    public async Task Only_the_places_tiers_register_at_a_unit_station_and_a_malformed_one_is_400()
    {
        using var village = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324121202");
        using var other = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324122");

        await village.PostAsync(Path, TestPeople.Registration("企业志愿者", "321324121202-E01"), HttpStatusCode.Created);
        await other.PostAsync(Path, TestPeople.Registration("越权", "321324121202-E01"), HttpStatusCode.Forbidden);
        var problem = await village.PostAsync(Path, TestPeople.Registration("错码", "321324121202-Q01"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("homeStationCode", out _), problem.ToString());
        var search = await village.GetAsync($"{Path}?station=321324121202-E1", HttpStatusCode.BadRequest);
        Assert.True(search.GetProperty("errors").TryGetProperty("station", out _), search.ToString());
    }

    [Fact]
    public async Task A_team_whose_home_is_a_mobile_station_sits_under_its_townships_team_and_is_announced_with_its_code()
    {
        using var client = factory.CreateClient();
        var township = (await client.PostAsync(Teams, new { name = "志愿服务支队", tier = "Township", homeStationCode = "321324121" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        var created = await client.PostAsync(Teams, new { name = "流动宣讲队", tier = "Team", type = "PolicyLectures", homeStationCode = "321324121-M01", parentTeamId = township },
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var member = await client.RegisterApprovedAsync("队员", School);
        await client.PostAsync($"{Teams}/{id}/members", new { volunteerId = member }, HttpStatusCode.Created);

        Assert.Equal("321324121-M01", created.GetProperty("homeStationCode").GetString());
        Assert.Equal("321324121-M01", (await client.GetAsync($"{Teams}/{id}", HttpStatusCode.OK)).GetProperty("homeStationCode").GetString());
        var announced = await factory.PublishedAsync<TeamCreated>(m => m.TeamId == id);
        Assert.Equal(("321324121-M01", "321324121"), (announced.HomeStationCode, announced.DivisionCode.Value));
        using var neighbour = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324122");
        await neighbour.PostAsync(Teams, new { name = "越权队", tier = "Team", homeStationCode = "321324121-M02" }, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("Township", "321324121-M01")]
    [InlineData("Village", School)]
    public async Task A_township_or_village_team_belongs_to_the_places_own_station_not_a_unit_station(string tier, string code)
    {
        using var client = factory.CreateClient();

        var problem = await client.PostAsync(Teams, new { name = "某队", tier, homeStationCode = code }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("homeStationCode", out _), problem.ToString());
    }
}
