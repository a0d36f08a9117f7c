using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Repeating activities: a weekly patrol and a monthly visit day, changed and cancelled without touching what was held.</summary>
public sealed class SeriesTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104231";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task A_weekly_patrol_is_one_series_whose_occurrences_are_published_activities_on_its_weekdays()
    {
        using var admin = factory.CreateClient();
        await _feed.StationAsync(Station);
        // 2026-03-10 is a Tuesday: Tuesdays and Fridays, four times.
        var series = await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Weekly", weekdays = new[] { "Tuesday", "Friday" }, firstDate = "2026-03-10", count = 4 }), HttpStatusCode.Created);
        var occurrences = series.GetProperty("occurrences").EnumerateArray().ToList();
        Assert.Equal(["2026-03-10 19:00", "2026-03-13 19:00", "2026-03-17 19:00", "2026-03-20 19:00"], occurrences.Select(Local));
        var first = occurrences[0].GetProperty("id").GetGuid();
        var activity = await admin.GetAsync($"{Route}/{first}", HttpStatusCode.OK);
        Assert.Equal(("Published", series.GetProperty("id").GetGuid()), (activity.GetProperty("status").GetString(), activity.GetProperty("seriesId").GetGuid()));
        await factory.PublishedAsync<ActivityPublished>(m => m.ActivityId == first);

        // Monthly on the 31st until the end of June: months without a 31st are skipped.
        var monthly = await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Monthly", dayOfMonth = 31, firstDate = "2026-03-05", until = "2026-06-30" }), HttpStatusCode.Created);
        Assert.Equal(["2026-03-31 19:00", "2026-05-31 19:00"], monthly.GetProperty("occurrences").EnumerateArray().Select(Local));
    }

    [Fact]
    public async Task A_series_without_an_end_or_beyond_the_bounds_is_refused_and_nothing_is_written()
    {
        using var admin = factory.CreateClient();
        const string station = "321324104232";
        await _feed.StationAsync(station);
        AssertNamesField(await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Weekly", weekdays = new[] { "Monday" }, firstDate = "2026-03-09" }, station), HttpStatusCode.BadRequest), "recurrence.until");
        AssertNamesField(await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Weekly", weekdays = new[] { "Monday" }, firstDate = "2026-03-09", count = 61 }, station), HttpStatusCode.BadRequest), "recurrence.count");
        AssertNamesField(await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Monthly", dayOfMonth = 1, firstDate = "2026-03-09", until = "2027-06-01" }, station), HttpStatusCode.BadRequest), "recurrence.until");
        // Every day for a year is more than 60 occurrences.
        AssertNamesField(await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Weekly", weekdays = Enum.GetNames<DayOfWeek>(), firstDate = "2026-03-09", until = "2026-12-31" }, station), HttpStatusCode.BadRequest),
            "recurrence.until");
        AssertNamesField(await admin.PostAsync($"{Route}/series",
            Patrol(new { frequency = "Weekly", firstDate = "2026-03-09", count = 3 }, station), HttpStatusCode.BadRequest), "recurrence.weekdays");
        AssertNamesField(await admin.PostAsync($"{Route}/series", new
        {
            stationCode = station, title = "巡逻", category = "ConvenienceService", capacity = 3, startTime = "21:00", endTime = "19:00",
            recurrence = new { frequency = "Weekly", weekdays = new[] { "Monday" }, firstDate = "2026-03-09", count = 3 },
        }, HttpStatusCode.BadRequest), "endTime");
        var written = await admin.GetAsync($"{Route}?under={station}&from=2026-03-01T00:00:00%2B08:00&to=2027-12-31T00:00:00%2B08:00", HttpStatusCode.OK);
        Assert.Empty(written.EnumerateArray());
    }

    internal static string Local(JsonElement occurrence) =>
        occurrence.GetProperty("startsAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    internal static object Patrol(object recurrence, string station = Station) => new
    {
        stationCode = station, title = "平安巡逻", category = "ConvenienceService", capacity = 3, startTime = "19:00", endTime = "21:00",
        venue = "村委会", recurrence, publish = true,
    };
}

/// <summary>A series changed and cancelled after its first occurrence was held (a class of its own: it moves the clock).</summary>
public sealed class SeriesChangeTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task Changing_the_series_changes_only_occurrences_not_yet_held_and_cancelling_it_cancels_only_those()
    {
        using var admin = factory.CreateClient();
        const string station = "321324104233";
        await _feed.StationAsync(station);
        var volunteer = await _feed.VolunteerAsync(station);
        var second = await _feed.VolunteerAsync(station);
        var series = await admin.PostAsync($"{Route}/series",
            SeriesTests.Patrol(new { frequency = "Weekly", weekdays = new[] { "Saturday" }, firstDate = "2026-04-04", count = 3 }, station), HttpStatusCode.Created);
        var id = series.GetProperty("id").GetGuid();
        var ids = series.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToList();
        var firstStart = series.GetProperty("occurrences")[0].GetProperty("startsAt").GetDateTimeOffset();
        foreach (var occurrence in ids)
        {
            await admin.PostAsync($"{Route}/{occurrence}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        }
        await admin.PostAsync($"{Route}/{ids[2]}/sign-ups", new { volunteerId = second }, HttpStatusCode.OK);
        await Scheduling.HoldAsync(factory, admin, ids[0], firstStart, present: volunteer);

        var changed = await admin.SendJsonAsync(HttpMethod.Patch, $"{Route}/series/{id}",
            new { startTime = "18:30", endTime = "20:30", venue = "村口", title = "夜间巡逻", capacity = 5 }, HttpStatusCode.OK);
        var after = changed.GetProperty("occurrences").EnumerateArray().ToList();
        // The held one keeps its time, place and title; the two to come move.
        Assert.Equal(["2026-04-04 19:00", "2026-04-11 18:30", "2026-04-18 18:30"], after.Select(SeriesTests.Local));
        Assert.Equal(["村委会", "村口", "村口"], after.Select(o => o.GetProperty("venue").GetString()));
        Assert.Equal(["平安巡逻", "夜间巡逻", "夜间巡逻"], after.Select(o => o.GetProperty("title").GetString()));
        Assert.Equal(5, (await admin.GetAsync($"{Route}/{ids[2]}", HttpStatusCode.OK)).GetProperty("capacity").GetInt32());

        // A capacity below the places already taken (two on the 18th) is refused, and nothing changes.
        await admin.SendJsonAsync(HttpMethod.Patch, $"{Route}/series/{id}", new { capacity = 1, venue = "别处" }, HttpStatusCode.Conflict);
        await admin.SendJsonAsync(HttpMethod.Patch, $"{Route}/series/{id}", new { capacity = 0 }, HttpStatusCode.BadRequest);
        Assert.Equal("村口", (await admin.GetAsync($"{Route}/{ids[1]}", HttpStatusCode.OK)).GetProperty("venue").GetString());
        Assert.Equal(5, (await admin.GetAsync($"{Route}/{ids[1]}", HttpStatusCode.OK)).GetProperty("capacity").GetInt32());

        var cancelled = await admin.PostAsync($"{Route}/series/{id}/cancel", new { reason = "改由网格员巡逻" }, HttpStatusCode.OK);
        Assert.Equal(["Completed", "Cancelled", "Cancelled"], cancelled.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("status").GetString()));
        var notice = await factory.PublishedAsync<ActivityCancelled>(m => m.ActivityId == ids[2]);
        Assert.Equal(new[] { volunteer, second }.Order(), notice.SignedUpVolunteerIds.Order());
        await factory.PublishedAsync<ActivityCancelled>(m => m.ActivityId == ids[1]);
        Assert.DoesNotContain(factory.Harness.Published.Select<ActivityCancelled>(), m => m.Context.Message.ActivityId == ids[0]);
        await admin.SendJsonAsync(HttpMethod.Patch, $"{Route}/series/{id}", new { venue = "别处" }, HttpStatusCode.Conflict);
        await admin.PostAsync($"{Route}/series/{id}/cancel", new { reason = "again" }, HttpStatusCode.Conflict);
        await factory.CreateClient(PracticeMesh.ServiceDefaults.Security.PracticeMeshRoles.TownshipAdmin, "321324105")
            .GetAsync($"{Route}/series/{id}", HttpStatusCode.NotFound);
    }
}
