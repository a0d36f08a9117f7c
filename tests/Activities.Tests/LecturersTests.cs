using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Lecturer pools (宣讲员, 百姓名嘴): per division, named by activities, shown in the plan and the calendar feed.</summary>
public sealed class LecturersTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104241";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task An_activity_names_a_lecturer_from_its_townships_pool_and_the_plan_and_feed_show_them()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, Station);
        using var anonymous = factory.CreateAnonymousClient();
        await _feed.StationAsync(Station);
        var lecturer = await township.PostAsync($"{Route}/lecturers",
            new { divisionCode = "321324104", name = "张老师", topics = new[] { "政策理论", "家风家训" }, phone = "13800001234" }, HttpStatusCode.Created);
        var id = lecturer.GetProperty("id").GetGuid();
        Assert.Equal("138****1234", lecturer.GetProperty("phone").GetString());

        // The station sees its township's pool and finds the lecturer by topic.
        var pool = await station.GetAsync($"{Route}/lecturers?topic=家风", HttpStatusCode.OK);
        Assert.Equal("138****1234", Assert.Single(pool.EnumerateArray(), l => l.GetProperty("id").GetGuid() == id).GetProperty("phone").GetString());

        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var activity = await _feed.ActivityAsync(station, startsAt, station: Station, extra: new { title = "百姓名嘴话家风", lecturerId = id });
        var read = await station.GetAsync($"{Route}/{activity}", HttpStatusCode.OK);
        Assert.Equal(("张老师", id), (read.GetProperty("lecturer").GetString(), read.GetProperty("lecturerId").GetGuid()));

        var plan = await anonymous.GetAsync($"{Route}/plans/{Station}/2026", HttpStatusCode.OK);
        var march = plan.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetInt32() == 3);
        Assert.Equal("张老师", Assert.Single(march.GetProperty("activities").EnumerateArray()).GetProperty("lecturer").GetString());
        using var feed = await anonymous.GetAsync($"{Route}/feeds/stations/{Station}.ics");
        Assert.Contains("主讲: 张老师", await feed.Content.ReadAsStringAsync());
        // Free text still works without the pool.
        var free = await _feed.ActivityAsync(station, startsAt.AddDays(1), station: Station, extra: new { lecturer = "县委宣讲团" });
        Assert.Equal("县委宣讲团", (await station.GetAsync($"{Route}/{free}", HttpStatusCode.OK)).GetProperty("lecturer").GetString());
    }

    [Fact]
    public async Task Another_townships_or_an_inactive_lecturer_is_refused_and_a_pool_changes_only_within_its_scope()
    {
        using var county = factory.CreateClient();
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        await _feed.StationAsync(Station);
        var elsewhere = (await county.PostAsync($"{Route}/lecturers", new { divisionCode = "321324105", name = "李老师", topics = new[] { "法律" } },
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var ours = (await township.PostAsync($"{Route}/lecturers", new { divisionCode = "321324104", name = "王老师", topics = new[] { "科普" } },
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await township.PostAsync($"{Route}/lecturers", new { divisionCode = "321324105", name = "越界", topics = Array.Empty<string>() }, HttpStatusCode.Forbidden);
        AssertNamesField(await township.PostAsync($"{Route}/lecturers", new { divisionCode = "321324104", name = "", phone = "abc" }, HttpStatusCode.BadRequest), "name");

        var body = new { stationCode = Station, title = "法治讲座", category = "Law", startsAt = factory.Clock.GetUtcNow().AddDays(5),
            endsAt = factory.Clock.GetUtcNow().AddDays(5).AddHours(2), capacity = 10, lecturerId = elsewhere };
        AssertNamesField(await county.PostAsync(Route, body, HttpStatusCode.BadRequest), "lecturerId");

        await otherTownship.SendJsonAsync(HttpMethod.Put, $"{Route}/lecturers/{ours}", new { name = "王老师", active = false }, HttpStatusCode.NotFound);
        var retired = await township.SendJsonAsync(HttpMethod.Put, $"{Route}/lecturers/{ours}", new { name = "王老师", topics = new[] { "科普" }, active = false },
            HttpStatusCode.OK);
        Assert.False(retired.GetProperty("active").GetBoolean());
        AssertNamesField(await county.PostAsync(Route, body with { lecturerId = ours }, HttpStatusCode.BadRequest), "lecturerId");
        Assert.DoesNotContain((await township.GetAsync($"{Route}/lecturers", HttpStatusCode.OK)).EnumerateArray(), l => l.GetProperty("id").GetGuid() == ours);

        var written = await county.GetAsync($"{Route}?under={Station}&from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00", HttpStatusCode.OK);
        Assert.DoesNotContain(written.EnumerateArray(), a => a.GetProperty("title").GetString() == "法治讲座");
    }
}
