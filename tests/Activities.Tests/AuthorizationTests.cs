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
