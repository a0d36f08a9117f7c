using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>What the volunteers and stations services announce holds here too: suspended volunteers and closed stations.</summary>
public sealed class SuspensionAndClosureTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task A_suspended_volunteer_may_not_sign_up_until_reinstated()
    {
        const string station = "321324104201";
        await _feed.StationAsync(station);
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync();
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var first = await _feed.ActivityAsync(admin, startsAt);
        var second = await _feed.ActivityAsync(admin, startsAt.AddDays(1));

        await DeliverAsync(new VolunteerSuspended(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), volunteer, "违反服务规范"));

        var refused = await admin.PostAsync($"{Route}/{first}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.Conflict);
        Assert.Contains("suspended", refused.GetProperty("detail").GetString());
        Assert.Empty((await admin.GetAsync($"{Route}/{first}", HttpStatusCode.OK)).GetProperty("signUps").EnumerateArray());

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await DeliverAsync(new VolunteerReinstated(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), volunteer));

        await admin.PostAsync($"{Route}/{second}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_volunteer_suspended_before_the_completion_keeps_their_presence_but_is_credited_nothing()
    {
        const string station = "321324104202";
        await _feed.StationAsync(station);
        using var admin = factory.CreateClient();
        var (kept, suspended) = (await _feed.VolunteerAsync(station), await _feed.VolunteerAsync(station));
        var now = factory.Clock.GetUtcNow();
        var id = await _feed.ActivityAsync(admin, now.AddHours(-2), now.AddHours(1), station: station);
        foreach (var volunteer in new[] { kept, suspended })
        {
            await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
            await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, at = now.AddHours(-2), reason = "到场登记" }, HttpStatusCode.OK);
            await admin.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = volunteer, at = now, reason = "离场登记" }, HttpStatusCode.OK);
        }

        await DeliverAsync(new VolunteerSuspended(Guid.NewGuid(), now, DivisionCode.Parse(station), suspended, "违反服务规范"));
        var completed = await admin.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.OK);

        Assert.Equal(2m, SignUpOf(completed, kept).GetProperty("creditedHours").GetDecimal());
        Assert.Equal(JsonValueKind.Null, SignUpOf(completed, suspended).GetProperty("creditedHours").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, SignUpOf(completed, suspended).GetProperty("checkedOutAt").ValueKind);
        // The ledger and assessment follow the event: it lists only the volunteer in good standing.
        var published = await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
        Assert.Equal([(kept, 2m)], published.Participants.Select(p => (p.VolunteerId, p.CreditedHours)));
        Assert.Equal(1, published.AttendeeCount);
        // Nor can a correction give them hours while they are suspended.
        var correction = new { reason = "补录", corrections = new[] { new { volunteerId = suspended, checkedInAt = now.AddHours(-2), checkedOutAt = now } } };
        await admin.PostAsync($"{Route}/{id}/corrections", correction, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_closed_station_takes_no_new_activities_and_publishes_no_drafts()
    {
        const string station = "321324104203";
        await _feed.StationAsync(station);
        using var admin = factory.CreateClient();
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var draft = await _feed.ActivityAsync(admin, startsAt, station: station, publish: false);
        var published = await _feed.ActivityAsync(admin, startsAt.AddDays(1), station: station);

        await DeliverAsync(new StationClosed(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), Guid.NewGuid(), station, "撤并"));

        var body = new { stationCode = station, title = "学雷锋志愿服务", category = "ConvenienceService", startsAt, endsAt = startsAt.AddHours(2), capacity = 10 };
        var refused = await admin.PostAsync(Route, body, HttpStatusCode.Conflict);
        Assert.Contains("closed", refused.GetProperty("detail").GetString());
        await admin.PostAsync($"{Route}/{draft}/publish", null, HttpStatusCode.Conflict);
        Assert.Equal("Draft", (await admin.GetAsync($"{Route}/{draft}", HttpStatusCode.OK)).GetProperty("status").GetString());
        // What was announced before the closure keeps its history and can still be called off.
        await admin.PostAsync($"{Route}/{published}/cancel", new { reason = "站点撤并" }, HttpStatusCode.OK);
    }

    private async Task DeliverAsync<T>(T message) where T : class, IIntegrationEvent
    {
        await factory.Harness.Bus.Publish(message);
        await factory.ConsumedAsync<T>(m => m.EventId == message.EventId);
    }
}
