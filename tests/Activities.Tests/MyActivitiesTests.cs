using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>我的活动: a volunteer reads their own sign-ups with their activities, one period at a time.</summary>
public sealed class MyActivitiesTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104201";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task A_volunteer_reads_their_own_activities_with_credited_hours_once_completed_by_period()
    {
        await _feed.StationAsync(Station);
        using var admin = factory.CreateClient();
        var wang = await _feed.VolunteerAsync();
        var li = await _feed.VolunteerAsync();
        using var wangPhone = _feed.Phone(wang);
        using var liPhone = _feed.Phone(li);

        // Held and completed: Wang was there two hours.
        var heldAt = factory.Clock.GetUtcNow().AddHours(1);
        var held = await _feed.ActivityAsync(admin, heldAt, heldAt.AddHours(3));
        await admin.PostAsync($"{Route}/{held}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{held}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(heldAt);
        await admin.PostAsync($"{Route}/{held}/check-ins", new { volunteerId = wang, at = heldAt, reason = "签到表" }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(heldAt.AddHours(2));
        await admin.PostAsync($"{Route}/{held}/check-outs", new { volunteerId = wang, at = heldAt.AddHours(2), reason = "签到表" }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(heldAt.AddHours(4));
        await admin.PostAsync($"{Route}/{held}/complete", new { }, HttpStatusCode.OK);
        // Coming, signed up by Wang himself; and one next year.
        var coming = await _feed.ActivityAsync(admin, factory.Clock.GetUtcNow().AddDays(10));
        await wangPhone.PostAsync($"{Route}/{coming}/sign-ups", new { }, HttpStatusCode.OK);
        var nextYear = await _feed.ActivityAsync(admin, new DateTimeOffset(2027, 2, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        await wangPhone.PostAsync($"{Route}/{nextYear}/sign-ups", new { }, HttpStatusCode.OK);

        var mine = await wangPhone.GetAsync($"{Route}/me", HttpStatusCode.OK);
        Assert.Equal(wang, mine.GetProperty("volunteerId").GetGuid());
        var items = mine.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([coming, held], items.Select(i => i.GetProperty("activityId").GetGuid()));
        Assert.Equal(("Published", System.Text.Json.JsonValueKind.Null), (items[0].GetProperty("status").GetString(), items[0].GetProperty("creditedHours").ValueKind));
        Assert.Equal(("Completed", 2m), (items[1].GetProperty("status").GetString(), items[1].GetProperty("creditedHours").GetDecimal()));
        Assert.Equal(heldAt, items[1].GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal(2m, mine.GetProperty("creditedHours").GetDecimal());

        // The next period holds next year's; the one before this year holds nothing.
        var next = await wangPhone.GetAsync($"{Route}/me?from=2027-01-01T00:00:00%2B08:00", HttpStatusCode.OK);
        Assert.Equal([nextYear], next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("activityId").GetGuid()));
        var before = await wangPhone.GetAsync(mine.GetProperty("previous").GetString()!, HttpStatusCode.OK);
        Assert.Empty(before.GetProperty("items").EnumerateArray());

        // Li sees only her own sign-up, not Wang's.
        var hers = await liPhone.GetAsync($"{Route}/me", HttpStatusCode.OK);
        Assert.Equal([held], hers.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("activityId").GetGuid()));
    }

    [Fact]
    public async Task A_login_linked_to_no_volunteer_has_no_activities_and_a_period_is_bounded()
    {
        using var unlinked = factory.CreateClient(PracticeMeshRoles.Volunteer, Station);
        await unlinked.GetAsync($"{Route}/me", HttpStatusCode.NotFound);
        using var phone = _feed.Phone(Guid.NewGuid());
        AssertNamesField(await phone.GetAsync($"{Route}/me?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest), "to");
        AssertNamesField(await phone.GetAsync($"{Route}/me?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest), "to");
    }
}
