using System.Net;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// Dates outside the accepted window (2000 to ten years ahead) and text a database cannot store are 400s naming the
/// field, never a 500 from China-time arithmetic leaving the calendar, and never a record in year 1 or 9999.
/// </summary>
public sealed class InputValidationTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104206";
    private readonly Feed _feed = new(factory);

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T08:00:00Z")]
    [InlineData("9999-12-31T10:00:00Z")]
    [InlineData("2037-01-01T08:00:00+08:00")]
    public async Task An_activity_outside_the_accepted_window_is_refused(string startsAt)
    {
        using var admin = factory.CreateClient();
        await _feed.StationAsync(Station);
        var start = DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture);
        var body = new { stationCode = Station, title = "学雷锋志愿服务", category = "ConvenienceService", startsAt = start, endsAt = start.AddHours(1), capacity = 5 };

        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Route, body, HttpStatusCode.BadRequest), "startsAt");
        var listed = await admin.GetAsync<List<System.Text.Json.JsonElement>>($"{Route}?under={Station}&from=2000-01-01T00:00:00%2B08:00&to=2036-12-31T00:00:00%2B08:00");
        Assert.Empty(listed);
    }

    [Fact]
    public async Task Periods_outside_the_accepted_window_are_refused()
    {
        using var admin = factory.CreateClient();
        var team = Guid.NewGuid();

        foreach (var month in new[] { "0001-01", "9999-12", "1999-12", "2037-01" })
        {
            HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Route}/cadence/stations/{Station}/{month}", HttpStatusCode.BadRequest), "month");
        }
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Route}/cadence/stations/{Station}/2026-13", HttpStatusCode.BadRequest), "month");
        foreach (var year in new[] { 0, 1, 1999, 2037, 9999, 10000 })
        {
            HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Route}/cadence/teams/{team}/{year}", HttpStatusCode.BadRequest), "year");
            HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Route}/plans/{Station}/{year}", HttpStatusCode.BadRequest), "year");
        }
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Route}?under={Station}&from=0001-01-01T00:00:00Z", HttpStatusCode.BadRequest), "from");

        // The window's own edges are accepted.
        await admin.GetAsync($"{Route}/cadence/stations/{Station}/2000-01", HttpStatusCode.OK);
        await admin.GetAsync($"{Route}/cadence/stations/{Station}/2036-12", HttpStatusCode.OK);
        await admin.GetAsync($"{Route}/plans/{Station}/2036", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Text_with_a_nul_character_is_refused_in_queries_and_bodies()
    {
        using var admin = factory.CreateClient();
        using var anonymous = factory.CreateAnonymousClient();
        await _feed.StationAsync(Station);
        var start = factory.Clock.GetUtcNow().AddDays(7);

        HttpAssertions.AssertNamesInvalid(await anonymous.GetAsync($"{Route}/menu?stationCode=%00", HttpStatusCode.BadRequest), "stationCode");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Route, new
        {
            stationCode = Station, title = "学雷锋\u0000志愿服务", category = "ConvenienceService", startsAt = start, endsAt = start.AddHours(1), capacity = 5,
        }, HttpStatusCode.BadRequest), "title");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Route, new
        {
            stationCode = Station, title = "学雷锋志愿服务", category = "ConvenienceService", startsAt = start, endsAt = start.AddHours(1), capacity = 5,
            venue = "\u0000",
        }, HttpStatusCode.BadRequest), "venue");
    }
}
