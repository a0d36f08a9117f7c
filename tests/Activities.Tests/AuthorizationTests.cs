using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

/// <summary>Scopes and division scopes on activities: a township's admins and volunteers reach only its activities.</summary>
public sealed class AuthorizationTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Path = "/api/v1/activities";

    private async Task KnowStationAsync(string code)
    {
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(code), Guid.NewGuid(), code,
            $"station {code}", StationKind.Village, code[..9]);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
    }

    private async Task<Guid> CreateActivityAsync(HttpClient client, string station)
    {
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var created = await client.PostAsync(Path, new
        {
            stationCode = station, title = "宣讲", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 5,
        }, HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Another_townships_activity_does_not_exist_for_its_neighbours()
    {
        await KnowStationAsync("321324104201");
        await KnowStationAsync("321324105201");
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var inB = await CreateActivityAsync(townshipB, "321324105201");

        await townshipA.GetAsync($"{Path}/{inB}", HttpStatusCode.NotFound);
        await townshipA.PostAsync($"{Path}/{inB}/publish", null, HttpStatusCode.NotFound);
        await townshipA.PostAsync(Path, new
        {
            stationCode = "321324105201", title = "x", category = "Policy",
            startsAt = factory.Clock.GetUtcNow().AddDays(5), endsAt = factory.Clock.GetUtcNow().AddDays(5).AddHours(1), capacity = 5,
        }, HttpStatusCode.Forbidden);

        // Nothing changed: B's activity is still a draft.
        var read = await townshipB.GetAsync($"{Path}/{inB}", HttpStatusCode.OK);
        Assert.Equal("Draft", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_volunteer_may_attend_but_not_organise()
    {
        await KnowStationAsync("321324104201");
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var id = await CreateActivityAsync(admin, "321324104201");
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");

        await volunteer.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        await volunteer.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.Forbidden);
        await volunteer.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.Forbidden);
        var read = await admin.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        Assert.Equal("Draft", read.GetProperty("status").GetString());
    }
}

/// <summary>
/// Writes that name another record (a volunteer, a team) treat one outside the caller's division exactly as an unknown
/// one, and no error names what the caller may not read.
/// </summary>
public sealed class CrossScopeWriteTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Path = "/api/v1/activities";
    private const string StationA = "321324104201", StationB = "321324105201";
    private readonly Feed _feed = new(factory);

    private static string Detail(System.Text.Json.JsonElement problem) => problem.GetProperty("detail").GetString()!;

    [Fact]
    public async Task Another_townships_volunteer_is_signed_up_and_checked_in_like_an_unknown_one()
    {
        await _feed.StationAsync(StationA);
        await _feed.StationAsync(StationB);
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var foreign = await _feed.VolunteerAsync(StationB);
        var unknown = Guid.NewGuid();
        var startsAt = factory.Clock.GetUtcNow().AddDays(3);
        var activity = await _feed.ActivityAsync(townshipA, startsAt, station: StationA);

        var refusedForeign = await townshipA.PostAsync($"{Path}/{activity}/sign-ups", new { volunteerId = foreign }, HttpStatusCode.NotFound);
        var refusedUnknown = await townshipA.PostAsync($"{Path}/{activity}/sign-ups", new { volunteerId = unknown }, HttpStatusCode.NotFound);
        Assert.Equal(Detail(refusedUnknown).Replace(unknown.ToString(), "{id}"), Detail(refusedForeign).Replace(foreign.ToString(), "{id}"));
        Assert.Empty((await townshipA.GetAsync($"{Path}/{activity}", HttpStatusCode.OK)).GetProperty("signUps").EnumerateArray());

        // By hand and in a batch, once the activity is under way: the same answer for both.
        factory.Clock.SetUtcNow(startsAt);
        var byHandForeign = await townshipA.PostAsync($"{Path}/{activity}/check-ins", new { volunteerId = foreign, reason = "补录" }, HttpStatusCode.NotFound);
        var byHandUnknown = await townshipA.PostAsync($"{Path}/{activity}/check-ins", new { volunteerId = unknown, reason = "补录" }, HttpStatusCode.NotFound);
        Assert.Equal(Detail(byHandUnknown).Replace(unknown.ToString(), "{id}"), Detail(byHandForeign).Replace(foreign.ToString(), "{id}"));
        var batch = await townshipA.PostAsync($"{Path}/{activity}/attendance-batch", new
        {
            items = new[]
            {
                new { volunteerId = foreign, kind = "CheckIn", at = startsAt, reason = "补录" },
                new { volunteerId = unknown, kind = "CheckIn", at = startsAt, reason = "补录" },
            },
        }, HttpStatusCode.OK);
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(results[1].GetProperty("status").GetInt32(), results[0].GetProperty("status").GetInt32());
        Assert.Equal(results[1].GetProperty("error").GetString()!.Replace(unknown.ToString(), "{id}"),
            results[0].GetProperty("error").GetString()!.Replace(foreign.ToString(), "{id}"));
    }

    [Fact]
    public async Task A_clash_with_another_townships_activity_does_not_name_it()
    {
        await _feed.StationAsync(StationA);
        await _feed.StationAsync(StationB);
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        using var county = factory.CreateClient();
        var wang = await _feed.VolunteerAsync(StationA);
        var startsAt = factory.Clock.GetUtcNow().AddDays(10);
        var secret = await _feed.ActivityAsync(townshipB, startsAt, station: StationB, extra: new { title = "外镇秘密活动" });
        await county.PostAsync($"{Path}/{secret}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        var own = await _feed.ActivityAsync(townshipA, startsAt.AddMinutes(30), station: StationA);
        await townshipA.GetAsync($"{Path}/{secret}", HttpStatusCode.NotFound);

        var busy = await townshipA.PostAsync($"{Path}/{own}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);
        Assert.Contains("overlapping activity", Detail(busy));
        Assert.DoesNotContain("外镇秘密活动", busy.ToString());
        // The county reads both, so it is told which.
        var toCounty = await county.PostAsync($"{Path}/{own}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);
        Assert.Contains("外镇秘密活动", Detail(toCounty));
    }

    [Fact]
    public async Task An_order_is_dispatched_to_another_townships_team_or_volunteer_as_to_an_unknown_one()
    {
        await _feed.StationAsync(StationA);
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, StationA);
        var team = await _feed.TeamAsync(StationA);
        var foreignTeam = await _feed.TeamAsync(StationB);
        var foreignVolunteer = await _feed.VolunteerAsync(StationB);
        var item = (await townshipA.PostAsync($"{Path}/menu-items", new { teamId = team, title = "上门理发", category = "ConvenienceService" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var order = (await resident.PostAsync($"{Path}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var due = factory.Clock.GetUtcNow().AddHours(24);
        var unknown = Guid.NewGuid();

        var toForeignTeam = await townshipA.PostAsync($"{Path}/orders/{order}/dispatch", new { teamId = foreignTeam, dueAt = due }, HttpStatusCode.BadRequest);
        var toUnknownTeam = await townshipA.PostAsync($"{Path}/orders/{order}/dispatch", new { teamId = unknown, dueAt = due }, HttpStatusCode.BadRequest);
        Assert.Equal(toUnknownTeam.GetProperty("errors").ToString().Replace(unknown.ToString(), "{id}"),
            toForeignTeam.GetProperty("errors").ToString().Replace(foreignTeam.ToString(), "{id}"));
        var toForeignVolunteer = await townshipA.PostAsync($"{Path}/orders/{order}/dispatch", new { volunteerId = foreignVolunteer, dueAt = due }, HttpStatusCode.BadRequest);
        var toUnknownVolunteer = await townshipA.PostAsync($"{Path}/orders/{order}/dispatch", new { volunteerId = unknown, dueAt = due }, HttpStatusCode.BadRequest);
        Assert.Equal(toUnknownVolunteer.GetProperty("errors").ToString().Replace(unknown.ToString(), "{id}"),
            toForeignVolunteer.GetProperty("errors").ToString().Replace(foreignVolunteer.ToString(), "{id}"));
        Assert.Equal("Placed", (await townshipA.GetAsync($"{Path}/orders/{order}", HttpStatusCode.OK)).GetProperty("status").GetString());
    }
}
