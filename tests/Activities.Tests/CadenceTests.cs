using System.Net;
using System.Text.Json;
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
