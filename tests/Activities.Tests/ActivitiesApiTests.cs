using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Activities.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// Activities over HTTP. Stations and approved volunteers reach the service only as events, so each test feeds
/// them into its bus first. The clock is shared by the class and only moves forward: every test places its
/// activity relative to the clock's current time.
/// </summary>
public sealed class ActivitiesApiTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Path = "/api/v1/activities";
    private const string StationCode = "321324104201";
    /// <summary>The county admin records presence by hand, which needs a reason.</summary>
    private const string ByHand = "补录: 手机没电";

    [Fact]
    public async Task An_activity_runs_from_draft_to_completion_and_credits_the_time_each_volunteer_was_there()
    {
        using var client = factory.CreateClient();
        await KnowStationAsync(StationCode);
        var (wang, li, zhang) = (await KnowVolunteerAsync(), await KnowVolunteerAsync(), await KnowVolunteerAsync());
        var t0 = factory.Clock.GetUtcNow();
        var (startsAt, endsAt) = (t0.AddHours(1), t0.AddHours(3));

        var draft = await client.PostAsync(Path, NewActivity(startsAt, endsAt, capacity: 3), HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetGuid();
        Assert.Equal("Draft", draft.GetProperty("status").GetString());

        var published = await client.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.OK);
        Assert.Equal("Published", published.GetProperty("status").GetString());
        var announced = await factory.PublishedAsync<ActivityPublished>(m => m.ActivityId == id);
        Assert.Equal((StationCode, "垃圾分类宣讲", ActivityCategory.Policy, startsAt, endsAt, 3),
            (announced.StationCode, announced.Title, announced.Category, announced.StartsAt, announced.EndsAt, announced.Capacity));

        foreach (var volunteer in new[] { wang, li, zhang })
        {
            await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        }

        // Wang arrives 20 minutes early to set up; his time counts from the start.
        factory.Clock.SetUtcNow(startsAt.AddMinutes(-20));
        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt.AddMinutes(10));
        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = li }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt.AddMinutes(100));
        await client.PostAsync($"{Path}/{id}/check-outs", new { reason = ByHand, volunteerId = li }, HttpStatusCode.OK);
        // Wang's phone uploads his check-out late; the device time is kept, and clipped to the end.
        factory.Clock.SetUtcNow(endsAt.AddMinutes(40));
        await client.PostAsync($"{Path}/{id}/check-outs", new { reason = ByHand, volunteerId = wang, at = endsAt.AddMinutes(30) }, HttpStatusCode.OK);

        var completed = await client.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.OK);

        Assert.Equal("Completed", completed.GetProperty("status").GetString());
        var message = await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
        Assert.Equal(2, message.AttendeeCount);
        Assert.Equal(StationCode, message.StationCode);
        Assert.Equal(StationCode, message.DivisionCode.Value);
        Assert.Equal(
            new[] { new ActivityParticipant(wang, 2m), new ActivityParticipant(li, 1.5m) }.OrderBy(p => p.VolunteerId),
            message.Participants.OrderBy(p => p.VolunteerId));
        var read = await client.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        Assert.Equal(3, read.GetProperty("signUps").GetArrayLength());
    }

    [Fact]
    public async Task An_activitys_id_names_the_township_it_is_held_in_so_the_gateway_can_route_by_id_alone()
    {
        using var client = factory.CreateClient();
        await KnowStationAsync(StationCode);
        var (startsAt, endsAt) = Window();

        var id = (await client.PostAsync(Path, NewActivity(startsAt, endsAt), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        Assert.Equal(DivisionCode.Parse("321324104"), TownshipGuid.TownshipOf(id));
        // Still read by that id, as before.
        Assert.Equal(id, (await client.GetAsync($"{Path}/{id}", HttpStatusCode.OK)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_activity_can_be_held_only_at_a_station_announced_by_StationRegistered()
    {
        using var client = factory.CreateClient();
        var (startsAt, endsAt) = Window();

        var problem = await client.PostAsync(Path, NewActivity(startsAt, endsAt, station: "321324104202"), HttpStatusCode.NotFound);
        Assert.Contains("321324104202", problem.GetProperty("detail").GetString());

        await KnowStationAsync("321324104202");
        var created = await client.PostAsync(Path, NewActivity(startsAt, endsAt, station: "321324104202"), HttpStatusCode.Created);
        Assert.Equal("321324104202", created.GetProperty("stationCode").GetString());
    }

    [Theory]
    [InlineData("32132410420", 1, 10, "stationCode")]
    [InlineData("321324104000", 1, 10, "stationCode")]
    [InlineData(StationCode, -1, 10, "endsAt")]
    [InlineData(StationCode, 30, 10, "endsAt")]
    [InlineData(StationCode, 1, 0, "capacity")]
    public async Task A_bad_activity_is_400_naming_the_field(string station, int hours, int capacity, string field)
    {
        using var client = factory.CreateClient();
        await KnowStationAsync(StationCode);
        var startsAt = factory.Clock.GetUtcNow().AddDays(1);

        var problem = await client.PostAsync(Path, NewActivity(startsAt, startsAt.AddHours(hours), capacity, station), HttpStatusCode.BadRequest);

        AssertNamesField(problem, field);
    }

    [Fact]
    public async Task An_unknown_category_is_400_naming_category()
    {
        using var client = factory.CreateClient();
        await KnowStationAsync(StationCode);
        var (startsAt, endsAt) = Window();
        var body = JsonSerializer.Serialize(new { stationCode = StationCode, title = "Talk", category = "Astrology", startsAt, endsAt, capacity = 5 }, HttpAssertions.Json);

        using var response = await client.PostAsync(Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNamesField(problem, "category");
    }

    [Fact]
    public async Task Publishing_twice_is_409_and_keeps_the_first_publication()
    {
        using var client = factory.CreateClient();
        var id = await CreatePublishedAsync(client);
        var publishedAt = (await GetAsync(client, id)).GetProperty("publishedAt").GetDateTimeOffset();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        await client.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.Conflict);

        var read = await GetAsync(client, id);
        Assert.Equal("Published", read.GetProperty("status").GetString());
        Assert.Equal(publishedAt, read.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(1, await CountOutboxRowsAsync<ActivityPublished>(id));
    }

    [Fact]
    public async Task Sign_up_refuses_unknown_volunteers_duplicates_a_full_activity_and_drafts()
    {
        using var client = factory.CreateClient();
        var (wang, li) = (await KnowVolunteerAsync(), await KnowVolunteerAsync());
        var id = await CreatePublishedAsync(client, capacity: 1);
        var draft = await CreateDraftAsync(client);

        // Registered but never approved: the service has not heard of them.
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = Guid.NewGuid() }, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{draft}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.Conflict);
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.Conflict);

        var signUps = (await GetAsync(client, id)).GetProperty("signUps");
        Assert.Equal(wang, Assert.Single(signUps.EnumerateArray()).GetProperty("volunteerId").GetGuid());
        Assert.Equal(0, (await GetAsync(client, draft)).GetProperty("signUps").GetArrayLength());
    }

    [Fact]
    public async Task Check_in_to_an_unpublished_activity_is_409()
    {
        using var client = factory.CreateClient();
        var wang = await KnowVolunteerAsync();
        var draft = await CreateDraftAsync(client);

        var problem = await client.PostAsync($"{Path}/{draft}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.Conflict);

        Assert.Contains("draft", problem.GetProperty("detail").GetString());
        Assert.Equal("Draft", (await GetAsync(client, draft)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Check_in_outside_the_activitys_time_is_409_and_from_the_future_is_400()
    {
        using var client = factory.CreateClient();
        var wang = await KnowVolunteerAsync();
        var (startsAt, endsAt) = Window();
        var id = await CreatePublishedAsync(client, startsAt: startsAt, endsAt: endsAt);
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);

        // Now is an hour before the start: past the 30-minute lead time.
        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.Conflict);
        var problem = await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang, at = startsAt.AddMinutes(5) }, HttpStatusCode.BadRequest);
        AssertNamesField(problem, "at");
        factory.Clock.SetUtcNow(endsAt.AddMinutes(5));
        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.Conflict);

        Assert.Equal(JsonValueKind.Null, SignUpOf(await GetAsync(client, id), wang).GetProperty("checkedInAt").ValueKind);
    }

    [Fact]
    public async Task Check_out_before_check_in_is_refused_and_records_nothing()
    {
        using var client = factory.CreateClient();
        var wang = await KnowVolunteerAsync();
        var (startsAt, _) = Window();
        var id = await CreatePublishedAsync(client, startsAt: startsAt);
        await client.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt.AddMinutes(30));

        await client.PostAsync($"{Path}/{id}/check-outs", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.Conflict);
        Assert.Equal(JsonValueKind.Null, SignUpOf(await GetAsync(client, id), wang).GetProperty("checkedOutAt").ValueKind);

        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.OK);
        var problem = await client.PostAsync($"{Path}/{id}/check-outs", new { reason = ByHand, volunteerId = wang, at = startsAt.AddMinutes(10) }, HttpStatusCode.BadRequest);
        AssertNamesField(problem, "at");

        var signUp = SignUpOf(await GetAsync(client, id), wang);
        Assert.Equal(startsAt.AddMinutes(30), signUp.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, signUp.GetProperty("checkedOutAt").ValueKind);
    }

    [Fact]
    public async Task A_volunteer_who_did_not_sign_up_cannot_check_in()
    {
        using var client = factory.CreateClient();
        var wang = await KnowVolunteerAsync();
        var (startsAt, _) = Window();
        var id = await CreatePublishedAsync(client, startsAt: startsAt);
        factory.Clock.SetUtcNow(startsAt);

        await client.PostAsync($"{Path}/{id}/check-ins", new { reason = ByHand, volunteerId = wang }, HttpStatusCode.NotFound);

        Assert.Equal(0, (await GetAsync(client, id)).GetProperty("signUps").GetArrayLength());
    }

    [Fact]
    public async Task Completing_twice_is_409_and_publishes_ActivityCompleted_once()
    {
        using var client = factory.CreateClient();
        var (startsAt, endsAt) = Window();
        var id = await CreatePublishedAsync(client, startsAt: startsAt, endsAt: endsAt);
        factory.Clock.SetUtcNow(endsAt);
        var first = await client.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var problem = await client.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.Conflict);

        Assert.Contains("already completed", problem.GetProperty("detail").GetString());
        var read = await GetAsync(client, id);
        Assert.Equal(first.GetProperty("completedAt").GetDateTimeOffset(), read.GetProperty("completedAt").GetDateTimeOffset());
        await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
        Assert.Equal(1, await CountOutboxRowsAsync<ActivityCompleted>(id));
    }

    [Fact]
    public async Task Completing_before_the_start_or_a_draft_is_409()
    {
        using var client = factory.CreateClient();
        var published = await CreatePublishedAsync(client);
        var draft = await CreateDraftAsync(client);

        await client.PostAsync($"{Path}/{published}/complete", null, HttpStatusCode.Conflict);
        await client.PostAsync($"{Path}/{draft}/complete", null, HttpStatusCode.Conflict);

        Assert.Equal("Published", (await GetAsync(client, published)).GetProperty("status").GetString());
        Assert.Equal("Draft", (await GetAsync(client, draft)).GetProperty("status").GetString());
        Assert.Equal(0, await CountOutboxRowsAsync<ActivityCompleted>(published));
    }

    [Fact]
    public async Task An_unknown_activity_is_404_everywhere()
    {
        using var client = factory.CreateClient();
        var id = Guid.NewGuid();
        var volunteer = new { volunteerId = Guid.NewGuid() };

        await client.GetAsync($"{Path}/{id}", HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/sign-ups", volunteer, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/check-ins", volunteer, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/check-outs", volunteer, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.NotFound);
    }

    /// <summary>An activity from one to three hours after the clock's current time.</summary>
    private (DateTimeOffset StartsAt, DateTimeOffset EndsAt) Window()
    {
        var now = factory.Clock.GetUtcNow();
        return (now.AddHours(1), now.AddHours(3));
    }

    private static object NewActivity(DateTimeOffset startsAt, DateTimeOffset endsAt, int capacity = 10, string station = StationCode) =>
        new { stationCode = station, title = "垃圾分类宣讲", category = "Policy", startsAt, endsAt, capacity, teamId = (Guid?)null };

    private async Task<Guid> CreateDraftAsync(HttpClient client, int capacity = 10, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null)
    {
        await KnowStationAsync(StationCode);
        var (defaultStart, defaultEnd) = Window();
        var created = await client.PostAsync(Path, NewActivity(startsAt ?? defaultStart, endsAt ?? defaultEnd, capacity), HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    private async Task<Guid> CreatePublishedAsync(HttpClient client, int capacity = 10, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null)
    {
        var id = await CreateDraftAsync(client, capacity, startsAt, endsAt);
        await client.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.OK);
        return id;
    }

    private static Task<JsonElement> GetAsync(HttpClient client, Guid id) => client.GetAsync($"{Path}/{id}", HttpStatusCode.OK);

    private static JsonElement SignUpOf(JsonElement activity, Guid volunteer) =>
        activity.GetProperty("signUps").EnumerateArray().Single(s => s.GetProperty("volunteerId").GetGuid() == volunteer);

    private static void AssertNamesField(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());

    /// <summary>Tells the service about a station, as the stations service would, and waits until it has heard.</summary>
    private async Task KnowStationAsync(string code)
    {
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(code), Guid.NewGuid(), code,
            "大楼社区实践站", StationKind.Village, code[..9]);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
    }

    /// <summary>Tells the service a volunteer was approved and waits until it has heard.</summary>
    private async Task<Guid> KnowVolunteerAsync()
    {
        var approved = new VolunteerApproved(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(StationCode), Guid.NewGuid(), "王芳");
        await factory.Harness.Bus.Publish(approved);
        await factory.ConsumedAsync<VolunteerApproved>(m => m.EventId == approved.EventId);
        return approved.VolunteerId;
    }

    private async Task<int> CountOutboxRowsAsync<TEvent>(Guid activityId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivitiesDbContext>();
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == IntegrationEventTypes.NameOf(typeof(TEvent))).ToListAsync();
        return rows.Count(m => m.Payload.Contains(activityId.ToString()));
    }
}
