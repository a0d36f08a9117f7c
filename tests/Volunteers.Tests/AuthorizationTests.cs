using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Division scopes on volunteers: a township admin reviews and reads only their own township's people.</summary>
public sealed class AuthorizationTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = "/api/v1/volunteers";

    [Fact]
    public async Task A_township_admin_cannot_see_review_or_register_another_townships_volunteers()
    {
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var inB = (await townshipB.PostAsync(Path, TestPeople.Registration("陈静", "321324105201"), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        await townshipA.GetAsync($"{Path}/{inB}", HttpStatusCode.NotFound);
        await townshipA.GetAsync($"{Path}/{inB}/hours", HttpStatusCode.NotFound);
        await townshipA.PostAsync($"{Path}/{inB}/approve", null, HttpStatusCode.NotFound);
        await townshipA.PostAsync(Path, TestPeople.Registration("刘洋", "321324105202"), HttpStatusCode.Forbidden);

        var read = await townshipB.GetAsync($"{Path}/{inB}", HttpStatusCode.OK);
        Assert.Equal("Pending", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reviewing_needs_the_write_scope()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var id = (await admin.PostAsync(Path, TestPeople.Registration("王芳", "321324104201"), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");

        await leader.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        await leader.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.Forbidden);
        Assert.Equal("Pending", (await admin.GetAsync($"{Path}/{id}", HttpStatusCode.OK)).GetProperty("status").GetString());
    }
}

/// <summary>
/// Every write that names a volunteer or a team answers one outside the caller's division exactly as an unknown one:
/// the same status and the same words, so a township cannot learn which ids exist elsewhere.
/// </summary>
public sealed class CrossScopeWriteTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = "/api/v1/volunteers";

    /// <summary>What a caller sees of a refusal, with the id it named replaced so two answers compare.</summary>
    private static async Task<string> RefusalAsync(HttpClient client, HttpMethod method, string path, object? body, Guid named)
    {
        using var request = new HttpRequestMessage(method, path) { Content = System.Net.Http.Json.JsonContent.Create(body ?? new { }, options: HttpAssertions.Json) };
        using var response = await client.SendAsync(request);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)response.StatusCode >= 400, $"{method} {path}: {(int)response.StatusCode}");
        var seen = $"{(int)response.StatusCode} {problem.GetProperty("title")} {(problem.TryGetProperty("detail", out var d) ? d.ToString() : "")} " +
            (problem.TryGetProperty("errors", out var e) ? e.ToString() : "");
        return seen.Replace(named.ToString(), "{id}", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_townships_volunteer_or_team_is_answered_as_an_unknown_one_on_every_write()
    {
        using var county = factory.CreateClient();
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var foreignVolunteer = await county.RegisterApprovedAsync("陈静", "321324105201");
        var ownVolunteer = await county.RegisterApprovedAsync("王芳", "321324104201");
        var foreignTeam = (await county.PostAsync($"{Path}/teams", new { name = "双沟镇支队", tier = "Township", homeStationCode = "321324105" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var ownTeam = (await county.PostAsync($"{Path}/teams", new { name = "青阳镇支队", tier = "Township", homeStationCode = "321324104" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var unknown = Guid.NewGuid();
        var served = new DateOnly(2026, 3, 1);

        // Writes on a volunteer named in the path.
        (HttpMethod Method, string Path, object? Body)[] onVolunteer =
        [
            (HttpMethod.Post, "{v}/hours/credits", new { hours = 2, servedOn = served, reason = "补录" }),
            (HttpMethod.Post, "{v}/hours/corrections", new { entryId = Guid.NewGuid(), hours = -0.5, reason = "提前离场" }),
            (HttpMethod.Post, "{v}/hours/correction-requests/" + Guid.NewGuid() + "/accept", null),
            (HttpMethod.Post, "{v}/suspend", new { reason = "长期未参加活动" }),
            (HttpMethod.Post, "{v}/trainings", new { title = "应急救护培训", issuer = "县红十字会", on = served }),
            (HttpMethod.Post, "{v}/certificates", new { from = served, to = served }),
        ];
        foreach (var (method, path, body) in onVolunteer)
        {
            Assert.Equal(
                await RefusalAsync(townshipA, method, $"{Path}/{path.Replace("{v}", unknown.ToString())}", body, unknown),
                await RefusalAsync(townshipA, method, $"{Path}/{path.Replace("{v}", foreignVolunteer.ToString())}", body, foreignVolunteer));
        }

        // A volunteer named in the body: joining a team, leading a new one.
        Assert.Equal(
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{ownTeam}/members", new { volunteerId = unknown }, unknown),
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{ownTeam}/members", new { volunteerId = foreignVolunteer }, foreignVolunteer));
        Assert.Equal(
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams", new { name = "新队", tier = "Team", homeStationCode = "321324104201", leaderVolunteerId = unknown }, unknown),
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams", new { name = "新队", tier = "Team", homeStationCode = "321324104201", leaderVolunteerId = foreignVolunteer }, foreignVolunteer));

        // A team named in the path: membership changes.
        Assert.Equal(
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{unknown}/members", new { volunteerId = ownVolunteer }, unknown),
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{foreignTeam}/members", new { volunteerId = ownVolunteer }, foreignTeam));
        Assert.Equal(
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{unknown}/members/{ownVolunteer}/leave", null, unknown),
            await RefusalAsync(townshipA, HttpMethod.Post, $"{Path}/teams/{foreignTeam}/members/{ownVolunteer}/leave", null, foreignTeam));

        // Nothing was written for the other township.
        Assert.Empty((await county.GetAsync($"{Path}/{foreignVolunteer}/hours", HttpStatusCode.OK)).GetProperty("entries").EnumerateArray());
        Assert.Equal("Approved", (await county.GetAsync($"{Path}/{foreignVolunteer}", HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal(0, (await county.GetAsync($"{Path}/teams/{foreignTeam}", HttpStatusCode.OK)).GetProperty("members").GetInt32());
    }
}
