using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Announcement, cancellation, the waitlist, overlaps, residents' interest and capacity under concurrent sign-ups.</summary>
public sealed class LifecycleAndSignUpTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task Publishing_fewer_than_three_days_ahead_is_allowed_but_flagged_and_the_details_travel_with_it()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        var now = factory.Clock.GetUtcNow();

        var early = await _feed.ActivityAsync(client, now.AddDays(4), extra: new
        {
            platform = "Culture", venue = "村文化广场", lecturer = "张老师", audience = "全体村民", festivalTag = "LeiFengDay",
        });
        var late = await _feed.ActivityAsync(client, now.AddDays(2));

        Assert.False((await client.GetAsync($"{Route}/{early}", HttpStatusCode.OK)).GetProperty("lateAnnouncement").GetBoolean());
        Assert.True((await client.GetAsync($"{Route}/{late}", HttpStatusCode.OK)).GetProperty("lateAnnouncement").GetBoolean());
        var announced = await factory.PublishedAsync<ActivityPublished>(m => m.ActivityId == early);
        Assert.Equal(("Culture", "村文化广场", "张老师", "LeiFengDay", false), (announced.Platform, announced.Venue, announced.Lecturer, announced.FestivalTag, announced.LateAnnouncement));
        Assert.True((await factory.PublishedAsync<ActivityPublished>(m => m.ActivityId == late)).LateAnnouncement);
    }

    [Fact]
    public async Task A_mobile_activity_needs_a_place_and_bad_details_name_their_field()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var body = new { stationCode = "321324104201", title = "流动宣讲", category = "Policy", startsAt, endsAt = startsAt.AddHours(1), capacity = 5, isMobile = true };

        AssertNamesField(await client.PostAsync(Route, body, HttpStatusCode.BadRequest), "place");
        AssertNamesField(await client.PostAsync(Route, new { body.stationCode, body.title, body.category, startsAt, body.endsAt, body.capacity, latitude = 33.4 }, HttpStatusCode.BadRequest), "latitude");
        AssertNamesField(await client.PostAsync(Route, new { body.stationCode, body.title, body.category, startsAt, body.endsAt, body.capacity, festivalTag = "Halloween" }, HttpStatusCode.BadRequest), "festivalTag");

        var created = await client.PostAsync(Route, new { body.stationCode, body.title, body.category, startsAt, body.endsAt, body.capacity, isMobile = true, place = "王集村集市", latitude = 33.4, longitude = 118.2 }, HttpStatusCode.Created);
        Assert.Equal("王集村集市", created.GetProperty("place").GetString());
    }

    [Fact]
    public async Task Cancelling_needs_a_reason_publishes_ActivityCancelled_and_cannot_be_repeated()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        var wang = await _feed.VolunteerAsync();
        var id = await _feed.ActivityAsync(client, factory.Clock.GetUtcNow().AddDays(6));
        await client.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);

        AssertNamesField(await client.PostAsync($"{Route}/{id}/cancel", new { reason = " " }, HttpStatusCode.BadRequest), "reason");
        var cancelled = await client.PostAsync($"{Route}/{id}/cancel", new { reason = "暴雨预警" }, HttpStatusCode.OK);
        await client.PostAsync($"{Route}/{id}/cancel", new { reason = "again" }, HttpStatusCode.Conflict);
        await client.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.Conflict);

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        var message = await factory.PublishedAsync<ActivityCancelled>(m => m.ActivityId == id);
        Assert.Equal(("暴雨预警", wang), (message.Reason, Assert.Single(message.SignedUpVolunteerIds)));
    }

    [Fact]
    public async Task The_waitlist_moves_up_when_a_place_is_freed_and_withdrawal_closes_at_the_start()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        var (wang, li, zhang) = (await _feed.VolunteerAsync(), await _feed.VolunteerAsync(), await _feed.VolunteerAsync());
        var startsAt = factory.Clock.GetUtcNow().AddDays(10);
        var id = await _feed.ActivityAsync(client, startsAt, capacity: 1);

        await client.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        // Full: refused unless the volunteer asks to wait.
        await client.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.Conflict);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await client.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li, joinWaitlist = true }, HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var waiting = await client.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = zhang, joinWaitlist = true }, HttpStatusCode.OK);
        Assert.Equal((1, 2), (waiting.GetProperty("confirmedCount").GetInt32(), waiting.GetProperty("waitlistCount").GetInt32()));

        factory.Clock.Advance(TimeSpan.FromHours(1));
        using var withdraw = await client.DeleteAsync($"{Route}/{id}/sign-ups/{wang}");
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);

        var read = await client.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        Assert.Equal("Confirmed", SignUpOf(read, li).GetProperty("status").GetString());
        Assert.Equal(factory.Clock.GetUtcNow(), SignUpOf(read, li).GetProperty("confirmedAt").GetDateTimeOffset());
        Assert.Equal("Waitlisted", SignUpOf(read, zhang).GetProperty("status").GetString());

        factory.Clock.SetUtcNow(startsAt.AddMinutes(1));
        // Still waiting when it starts: no check-in.
        var waitlisted = await client.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = zhang, reason = "x" }, HttpStatusCode.Conflict);
        Assert.Contains("waitlist", waitlisted.GetProperty("detail").GetString());
        using var late = await client.DeleteAsync($"{Route}/{id}/sign-ups/{li}");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task A_volunteer_cannot_hold_two_overlapping_activities()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        await _feed.StationAsync("321324104202");
        var wang = await _feed.VolunteerAsync();
        var startsAt = factory.Clock.GetUtcNow().AddDays(20);
        var first = await _feed.ActivityAsync(client, startsAt, startsAt.AddHours(2));
        var overlapping = await _feed.ActivityAsync(client, startsAt.AddHours(1), startsAt.AddHours(3), station: "321324104202");
        var afterwards = await _feed.ActivityAsync(client, startsAt.AddHours(2), startsAt.AddHours(3));

        await client.PostAsync($"{Route}/{first}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        var problem = await client.PostAsync($"{Route}/{overlapping}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);
        await client.PostAsync($"{Route}/{afterwards}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);

        Assert.Contains("overlapping", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await client.GetAsync($"{Route}/{overlapping}", HttpStatusCode.OK)).GetProperty("signUps").GetArrayLength());
    }

    [Fact]
    public async Task An_activity_completed_early_frees_its_volunteers_from_its_completion_on()
    {
        using var client = factory.CreateClient();
        await _feed.StationAsync("321324104201");
        var wang = await _feed.VolunteerAsync();
        var startsAt = factory.Clock.GetUtcNow().AddDays(40);
        var lecture = await _feed.ActivityAsync(client, startsAt, startsAt.AddHours(4));
        var duringIt = await _feed.ActivityAsync(client, startsAt.AddHours(1), startsAt.AddHours(2));
        var afterItsEnd = await _feed.ActivityAsync(client, startsAt.AddHours(3), startsAt.AddHours(5));
        await client.PostAsync($"{Route}/{lecture}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        await client.PostAsync($"{Route}/{afterItsEnd}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);

        // Over two hours early: what starts after the completion is free, what ran during it still clashes.
        factory.Clock.SetUtcNow(startsAt.AddHours(2).AddMinutes(30));
        await client.PostAsync($"{Route}/{lecture}/complete", null, HttpStatusCode.OK);

        await client.PostAsync($"{Route}/{afterItsEnd}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        Assert.Contains("overlapping", (await client.PostAsync($"{Route}/{duringIt}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict))
            .GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Capacity_holds_when_many_volunteers_sign_up_at_once()
    {
        await _feed.StationAsync("321324104201");
        using var admin = factory.CreateClient();
        var id = await _feed.ActivityAsync(admin, factory.Clock.GetUtcNow().AddDays(30), capacity: 3);
        var volunteers = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            volunteers.Add(await _feed.VolunteerAsync());
        }

        var responses = await Task.WhenAll(volunteers.Select(async v =>
        {
            using var client = factory.CreateClient();
            using var response = await client.PostAsync($"{Route}/{id}/sign-ups",
                JsonContent.Create(new { volunteerId = v, joinWaitlist = true }));
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        var read = await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        Assert.Equal((3, 9), (read.GetProperty("confirmedCount").GetInt32(), read.GetProperty("waitlistCount").GetInt32()));
        Assert.Equal(Enumerable.Range(0, 12), read.GetProperty("signUps").EnumerateArray().Select(s => s.GetProperty("position").GetInt32()).Order());
    }

    [Fact]
    public async Task Residents_register_interest_once_separately_from_volunteers()
    {
        await _feed.StationAsync("321324104201");
        using var admin = factory.CreateClient();
        var id = await _feed.ActivityAsync(admin, factory.Clock.GetUtcNow().AddDays(40), capacity: 1);
        using var resident = factory.CreateClient(ServiceDefaults.Security.PracticeMeshRoles.Resident, "321324104201");
        using var volunteer = factory.CreateClient(ServiceDefaults.Security.PracticeMeshRoles.Volunteer, "321324104201");

        var first = await resident.PostAsync($"{Route}/{id}/interest", null, HttpStatusCode.OK);
        await resident.PostAsync($"{Route}/{id}/interest", null, HttpStatusCode.Conflict);
        await volunteer.PostAsync($"{Route}/{id}/interest", null, HttpStatusCode.Forbidden);

        Assert.Equal(1, first.GetProperty("interestedResidents").GetInt32());
        Assert.Equal(0, first.GetProperty("confirmedCount").GetInt32());
    }
}
