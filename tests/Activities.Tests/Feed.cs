using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

/// <summary>Feeds the events other services would send, and creates activities, for the API tests.</summary>
internal sealed class Feed(ServiceFactory<ActivitiesModule> factory)
{
    public const string Route = "/api/v1/activities";

    public async Task StationAsync(string code, double? latitude = null, double? longitude = null)
    {
        // The kind and parent follow from the code: a county centre, a township institute, a village or a unit station.
        var site = StationCode.Parse(code);
        var (kind, parent) = site.IsUnit ? (site.UnitKind!.Value, site.Place.Value)
            : site.Place.Tier switch
            {
                DivisionTier.County => (StationKind.CountyCentre, (string?)null),
                DivisionTier.Township => (StationKind.Institute, site.Place.County.Value),
                _ => (StationKind.Village, site.Place.Parent!.Value.Value),
            };
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), site.Place, Guid.NewGuid(), code,
            "实践站", kind, parent);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
        if (latitude is not null)
        {
            var updated = new StationUpdated(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(code), registered.StationId, code,
                "实践站", "村委会", latitude, longitude);
            await factory.Harness.Bus.Publish(updated);
            await factory.ConsumedAsync<StationUpdated>(m => m.EventId == updated.EventId);
        }
    }

    public async Task<Guid> VolunteerAsync(string division = "321324104201")
    {
        var approved = new VolunteerApproved(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(division), Guid.NewGuid(), "王芳");
        await factory.Harness.Bus.Publish(approved);
        await factory.ConsumedAsync<VolunteerApproved>(m => m.EventId == approved.EventId);
        return approved.VolunteerId;
    }

    public async Task<Guid> TeamAsync(string station, params Guid[] members)
    {
        var created = new TeamCreated(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), Guid.NewGuid(), "党员先锋队",
            TeamTier.Team, TeamType.PartyVanguard, null, station, null);
        await factory.Harness.Bus.Publish(created);
        await factory.ConsumedAsync<TeamCreated>(m => m.EventId == created.EventId);
        foreach (var member in members)
        {
            var joined = new TeamMemberJoined(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), created.TeamId, member);
            await factory.Harness.Bus.Publish(joined);
            await factory.ConsumedAsync<TeamMemberJoined>(m => m.EventId == joined.EventId);
        }
        return created.TeamId;
    }

    /// <summary>A team with a leader (队长) at any kind of station, a unit station (…-S01) included.</summary>
    public async Task<Guid> TeamLedByAsync(string division, string homeStation, Guid? leader, params Guid[] members)
    {
        var created = new TeamCreated(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(division), Guid.NewGuid(), "便民服务队",
            TeamTier.Team, TeamType.PartyVanguard, null, homeStation, leader);
        await factory.Harness.Bus.Publish(created);
        await factory.ConsumedAsync<TeamCreated>(m => m.EventId == created.EventId);
        foreach (var member in members)
        {
            var joined = new TeamMemberJoined(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(division), created.TeamId, member);
            await factory.Harness.Bus.Publish(joined);
            await factory.ConsumedAsync<TeamMemberJoined>(m => m.EventId == joined.EventId);
        }
        return created.TeamId;
    }

    public async Task<Guid> ActivityAsync(HttpClient client, DateTimeOffset startsAt, DateTimeOffset? endsAt = null, int capacity = 10,
        string station = "321324104201", bool publish = true, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["stationCode"] = station, ["title"] = "学雷锋志愿服务", ["category"] = "ConvenienceService",
            ["startsAt"] = startsAt, ["endsAt"] = endsAt ?? startsAt.AddHours(2), ["capacity"] = capacity,
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra, HttpAssertions.Json).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }
        var id = (await client.PostAsync(Route, body, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        if (publish)
        {
            await client.PostAsync($"{Route}/{id}/publish", null, HttpStatusCode.OK);
        }
        return id;
    }

    /// <summary>The phone of a volunteer whose login is linked to their volunteer record (claim <c>volunteer_id</c>).</summary>
    public HttpClient Phone(Guid volunteer, string division = "321324104201") =>
        factory.CreateClient().WithToken(TestTokens.Create(ServiceDefaults.Security.PracticeMeshRoles.Volunteer, division, volunteerId: volunteer));

    public static JsonElement SignUpOf(JsonElement activity, Guid volunteer) =>
        activity.GetProperty("signUps").EnumerateArray().Single(s => s.GetProperty("volunteerId").GetGuid() == volunteer);

    public static void AssertNamesField(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
}
