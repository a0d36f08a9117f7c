using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Ratings (评单), the order loop (点单→派单→接单→评单) with deadlines on the injected clock, public plans and cadence.</summary>
public sealed class RatingsOrdersPlansTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104201";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task A_resident_rates_a_completed_activity_once_within_the_window_and_averages_follow()
    {
        using var admin = factory.CreateClient();
        using var alice = factory.CreateClient(PracticeMeshRoles.Resident, Station);
        using var bob = factory.CreateClient(PracticeMeshRoles.Resident, Station);
        await _feed.StationAsync(Station);
        var teamId = Guid.NewGuid();
        var startsAt = factory.Clock.GetUtcNow().AddHours(1);
        var id = await _feed.ActivityAsync(admin, startsAt, extra: new { teamId });

        await alice.PostAsync($"{Route}/{id}/ratings", new { score = 5 }, HttpStatusCode.Conflict);
        factory.Clock.SetUtcNow(startsAt.AddHours(2));
        await admin.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.OK);
        AssertNamesField(await alice.PostAsync($"{Route}/{id}/ratings", new { score = 6 }, HttpStatusCode.BadRequest), "score");
        await admin.PostAsync($"{Route}/{id}/ratings", new { score = 5 }, HttpStatusCode.Forbidden);
        await alice.PostAsync($"{Route}/{id}/ratings", new { score = 5, comment = "讲得好" }, HttpStatusCode.Created);
        await alice.PostAsync($"{Route}/{id}/ratings", new { score = 1 }, HttpStatusCode.Conflict);
        await bob.PostAsync($"{Route}/{id}/ratings", new { score = 4 }, HttpStatusCode.Created);
        factory.Clock.Advance(TimeSpan.FromDays(15));
        using var carol = factory.CreateClient(PracticeMeshRoles.Resident, Station);
        await carol.PostAsync($"{Route}/{id}/ratings", new { score = 1 }, HttpStatusCode.Conflict);

        Assert.Equal(4.5m, (await admin.GetAsync($"{Route}/{id}/ratings", HttpStatusCode.OK)).GetProperty("average").GetDecimal());
        Assert.Equal(2, (await admin.GetAsync($"{Route}/ratings/summary?teamId={teamId}", HttpStatusCode.OK)).GetProperty("count").GetInt32());
        Assert.True((await admin.GetAsync($"{Route}/ratings/summary?stationCode={Station}", HttpStatusCode.OK)).GetProperty("count").GetInt32() >= 2);
        var rated = await factory.PublishedAsync<ActivityRated>(m => m.ActivityId == id && m.Score == 5);
        Assert.Equal(("讲得好", teamId), (rated.Comment, rated.TeamId));
    }

    [Fact]
    public async Task An_order_runs_from_menu_to_rating_a_decline_returns_it_and_overdue_is_flagged()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, Station);
        var leaderId = await _feed.VolunteerAsync();
        using var leader = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TeamLeader, "321324104", volunteerId: leaderId));
        using var anonymous = factory.CreateAnonymousClient();
        var team = await _feed.TeamLedByAsync(Station, Station, leaderId);
        var otherTeam = await _feed.TeamAsync("321324105201");
        using var county = factory.CreateClient();

        var item = (await township.PostAsync($"{Route}/menu-items", new { teamId = team, title = "上门理发", category = "ConvenienceService" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var menu = await anonymous.GetAsync($"{Route}/menu?stationCode={Station}", HttpStatusCode.OK);
        Assert.Contains(menu.EnumerateArray(), m => m.GetProperty("id").GetGuid() == item);

        await township.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Forbidden);
        var order = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item, details = "行动不便" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var due = factory.Clock.GetUtcNow().AddHours(24);

        // Another township's team: refused even for the county, and nothing is written.
        AssertNamesField(await county.PostAsync($"{Route}/orders/{order}/dispatch", new { teamId = otherTeam, dueAt = due }, HttpStatusCode.BadRequest), "teamId");
        AssertNamesField(await township.PostAsync($"{Route}/orders/{order}/dispatch", new { teamId = otherTeam, dueAt = due }, HttpStatusCode.BadRequest), "teamId");
        Assert.Equal("Placed", (await township.GetAsync($"{Route}/orders/{order}", HttpStatusCode.OK)).GetProperty("status").GetString());

        await township.PostAsync($"{Route}/orders/{order}/dispatch", new { teamId = team, dueAt = due }, HttpStatusCode.OK);
        AssertNamesField(await leader.PostAsync($"{Route}/orders/{order}/decline", new { reason = "" }, HttpStatusCode.BadRequest), "reason");
        var declined = await leader.PostAsync($"{Route}/orders/{order}/decline", new { reason = "理发师外出" }, HttpStatusCode.OK);
        Assert.Equal(("Placed", 1), (declined.GetProperty("status").GetString(), declined.GetProperty("declineCount").GetInt32()));
        await leader.PostAsync($"{Route}/orders/{order}/accept", null, HttpStatusCode.Conflict);

        await township.PostAsync($"{Route}/orders/{order}/dispatch", new { teamId = team, dueAt = due }, HttpStatusCode.OK);
        await leader.PostAsync($"{Route}/orders/{order}/accept", null, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(due.AddMinutes(1));
        var overdue = await township.GetAsync($"{Route}/orders?overdue=true", HttpStatusCode.OK);
        Assert.Contains(overdue.EnumerateArray(), o => o.GetProperty("id").GetGuid() == order && o.GetProperty("overdue").GetBoolean());

        await resident.PostAsync($"{Route}/orders/{order}/rating", new { score = 5 }, HttpStatusCode.Conflict);
        await leader.PostAsync($"{Route}/orders/{order}/complete", null, HttpStatusCode.OK);
        await resident.PostAsync($"{Route}/orders/{order}/rating", new { score = 4, comment = "及时" }, HttpStatusCode.OK);
        await resident.PostAsync($"{Route}/orders/{order}/rating", new { score = 4 }, HttpStatusCode.Conflict);

        Assert.True((await factory.PublishedAsync<OrderCompleted>(m => m.OrderId == order)).Overdue);
        await factory.PublishedAsync<OrderPlaced>(m => m.OrderId == order);
        await factory.PublishedAsync<OrderDeclined>(m => m.OrderId == order && m.Reason == "理发师外出");
        await factory.PublishedAsync<OrderAccepted>(m => m.OrderId == order);
        Assert.Equal(4, (await factory.PublishedAsync<OrderRated>(m => m.OrderId == order)).Score);
    }

    [Fact]
    public async Task Plans_are_public_and_export_as_csv_xlsx_and_icalendar_and_cadence_counts_held_activities()
    {
        using var admin = factory.CreateClient();
        using var anonymous = factory.CreateAnonymousClient();
        await _feed.StationAsync("321324104209");
        var (wang, li, zhang) = (await _feed.VolunteerAsync(), await _feed.VolunteerAsync(), await _feed.VolunteerAsync());
        var team = await _feed.TeamAsync("321324104209", wang, li, zhang);
        var startsAt = factory.Clock.GetUtcNow().AddDays(3);
        var held = await _feed.ActivityAsync(admin, startsAt, station: "321324104209", extra: new { teamId = team, venue = "文化礼堂", lecturer = "李书记" });
        await _feed.ActivityAsync(admin, startsAt.AddDays(1), station: "321324104209", publish: false);
        await admin.PostAsync($"{Route}/{held}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt.AddHours(2));
        await admin.PostAsync($"{Route}/{held}/check-ins", new { volunteerId = wang, at = startsAt, reason = "r" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{held}/check-outs", new { volunteerId = wang, reason = "r" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{held}/complete", null, HttpStatusCode.OK);

        var plan = await anonymous.GetAsync($"{Route}/plans/321324104209/2026", HttpStatusCode.OK);
        var march = plan.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetInt32() == 3);
        // The draft is not part of the public plan.
        Assert.Equal("李书记", Assert.Single(march.GetProperty("activities").EnumerateArray()).GetProperty("lecturer").GetString());
        using var csv = await anonymous.GetAsync($"{Route}/plans/321324104209/2026?format=csv");
        Assert.Contains("文化礼堂", await csv.Content.ReadAsStringAsync());
        using var xlsx = await anonymous.GetAsync($"{Route}/plans/321324104209/2026?format=xlsx");
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync())[..2]));
        using var ics = await anonymous.GetAsync($"{Route}/feeds/townships/321324104.ics");
        var calendar = await ics.Content.ReadAsStringAsync();
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"UID:{held}@practicemesh", calendar);
        await anonymous.GetAsync($"{Route}/{held}", HttpStatusCode.Unauthorized);

        var station = await admin.GetAsync($"{Route}/cadence/stations/321324104209/2026-03", HttpStatusCode.OK);
        Assert.Equal((1, 2, false), (station.GetProperty("heldActivities").GetInt32(), station.GetProperty("required").GetInt32(), station.GetProperty("met").GetBoolean()));
        var teamCadence = await admin.GetAsync($"{Route}/cadence/teams/{team}/2026", HttpStatusCode.OK);
        Assert.Equal((1, 3, 1), (teamCadence.GetProperty("heldActivities").GetInt32(), teamCadence.GetProperty("members").GetInt32(), teamCadence.GetProperty("participants").GetInt32()));
        Assert.False(teamCadence.GetProperty("participationMet").GetBoolean());
    }
}
