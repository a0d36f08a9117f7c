using System.Globalization;
using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// The station cadence as the seed counts it (每月至少开展2次集中实践活动, 并提前发布预告): completed, announced in advance and
/// attended; the township and county lists of stations below it.
/// </summary>
public sealed class CadenceTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104211";
    private const string Quiet = "321324104212";
    private const string OtherTownship = "321324105213";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task Only_activities_announced_in_advance_and_attended_count_and_the_rest_are_listed_with_why()
    {
        using var admin = factory.CreateClient();
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await _feed.StationAsync(Station);
        await _feed.StationAsync(Quiet);
        await _feed.StationAsync(OtherTownship);
        var volunteer = await _feed.VolunteerAsync(Station);
        var now = factory.Clock.GetUtcNow();
        // Announced one day ahead only: held and attended, but not announced in advance.
        var late = await _feed.ActivityAsync(admin, now.AddDays(1), station: Station, extra: new { title = "临时通知的宣讲" });
        // Announced in advance and completed, but nobody came.
        var empty = await _feed.ActivityAsync(admin, now.AddDays(4), station: Station, extra: new { title = "无人到场" });
        var attended = await _feed.ActivityAsync(admin, now.AddDays(5), station: Station);
        var residentsOnly = await _feed.ActivityAsync(admin, now.AddDays(6), station: Station);
        var cancelled = await _feed.ActivityAsync(admin, now.AddDays(7), station: Station);
        await admin.PostAsync($"{Route}/{attended}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{cancelled}/cancel", new { reason = "暴雨" }, HttpStatusCode.OK);

        await Scheduling.HoldAsync(factory, admin, late, now.AddDays(1), residents: 30);
        await Scheduling.HoldAsync(factory, admin, empty, now.AddDays(4));
        await Scheduling.HoldAsync(factory, admin, attended, now.AddDays(5), present: volunteer);

        var month = await admin.GetAsync($"{Route}/cadence/stations/{Station}/2026-03", HttpStatusCode.OK);
        Assert.Equal((3, 1, 2, false), (month.GetProperty("heldActivities").GetInt32(), month.GetProperty("countedActivities").GetInt32(),
            month.GetProperty("required").GetInt32(), month.GetProperty("met").GetBoolean()));
        var notCounted = month.GetProperty("notCounted").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetGuid(), Reasons);
        Assert.Equal(["AnnouncedLate"], notCounted[late]);
        Assert.Equal(["NobodyAttended"], notCounted[empty]);
        Assert.Equal(["Cancelled"], notCounted[cancelled]);
        Assert.Equal(["NotCompleted"], notCounted[residentsOnly]);
        Assert.False(notCounted.ContainsKey(attended));

        // The township's list shows both its stations below the rule, never another township's.
        var below = await township.GetAsync($"{Route}/cadence/stations?month=2026-03", HttpStatusCode.OK);
        var codes = below.GetProperty("below").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()).ToList();
        Assert.Contains(Station, codes);
        Assert.Contains(Quiet, codes);
        Assert.DoesNotContain(OtherTownship, codes);
        Assert.Contains(OtherTownship, (await admin.GetAsync($"{Route}/cadence/stations?under=321324&month=2026-03", HttpStatusCode.OK))
            .GetProperty("below").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()));

        // Residents counted at completion are attendance too: the second activity that counts meets the rule.
        await Scheduling.HoldAsync(factory, admin, residentsOnly, now.AddDays(6), residents: 12);
        month = await admin.GetAsync($"{Route}/cadence/stations/{Station}/2026-03", HttpStatusCode.OK);
        Assert.Equal((2, true), (month.GetProperty("countedActivities").GetInt32(), month.GetProperty("met").GetBoolean()));
        codes = (await township.GetAsync($"{Route}/cadence/stations?month=2026-03", HttpStatusCode.OK))
            .GetProperty("below").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()).ToList();
        Assert.DoesNotContain(Station, codes);
        Assert.Contains(Quiet, codes);
    }

    [Fact]
    public async Task The_county_centre_and_the_institutes_are_not_stations_and_the_list_counts_the_stations_that_met_the_rule()
    {
        // A township of this test's own, so the counts are exact.
        const string Institute = "321324117";
        const string Held = "321324117201", Idle = "321324117202", School = "321324117202-S01";
        using var admin = factory.CreateClient();
        await _feed.StationAsync("321324");
        await _feed.StationAsync(Institute);
        await _feed.StationAsync(Held);
        await _feed.StationAsync(Idle);
        await _feed.StationAsync(School);
        var first = factory.Clock.GetUtcNow().AddDays(5);
        var second = first.AddHours(3);
        var one = await _feed.ActivityAsync(admin, first, station: Held);
        var two = await _feed.ActivityAsync(admin, second, station: Held);
        // The institute holds one of its own: that makes it no station.
        var institute = await _feed.ActivityAsync(admin, first, station: Institute);
        await Scheduling.HoldAsync(factory, admin, one, first, residents: 20);
        await Scheduling.HoldAsync(factory, admin, institute, first, residents: 20);
        await Scheduling.HoldAsync(factory, admin, two, second, residents: 20);

        var month = ChinaTime.Today(first).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var list = await admin.GetAsync($"{Route}/cadence/stations?under={Institute}&month={month}", HttpStatusCode.OK);
        Assert.Equal((3, 1), (list.GetProperty("stationsConsidered").GetInt32(), list.GetProperty("stationsMet").GetInt32()));
        Assert.Equal([Idle, School], list.GetProperty("below").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()).Order(StringComparer.Ordinal));
        // The county's list has no centre either.
        var county = await admin.GetAsync($"{Route}/cadence/stations?under=321324&month={month}", HttpStatusCode.OK);
        Assert.DoesNotContain(county.GetProperty("below").EnumerateArray(), s => s.GetProperty("stationCode").GetString() is "321324" or Institute);
    }

    [Fact]
    public async Task The_station_list_refuses_a_bad_month_and_a_station_outside_the_scope_is_not_found()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        AssertNamesField(await township.GetAsync($"{Route}/cadence/stations?month=2026-13", HttpStatusCode.BadRequest), "month");
        AssertNamesField(await township.GetAsync($"{Route}/cadence/stations", HttpStatusCode.BadRequest), "month");
        await township.GetAsync($"{Route}/cadence/stations/{OtherTownship}/2026-03", HttpStatusCode.NotFound);
        // Asking for another township gives nothing of it.
        Assert.Empty((await township.GetAsync($"{Route}/cadence/stations?under=321324105&month=2026-03", HttpStatusCode.OK))
            .GetProperty("below").EnumerateArray());
    }

    private static List<string?> Reasons(JsonElement activity) =>
        activity.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
}
