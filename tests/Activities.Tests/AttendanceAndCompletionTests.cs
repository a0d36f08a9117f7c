using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Verified check-in and check-out (QR, location, by hand, in bulk), the hours cap, completion and corrections.</summary>
public sealed class AttendanceAndCompletionTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104201";
    // 大楼社区 village committee; 0.001° of latitude is about 111 m.
    private const double Lat = 33.4600, Lon = 118.2200;
    private readonly Feed _feed = new(factory);

    private async Task<(Guid Id, Guid Volunteer, DateTimeOffset StartsAt)> UnderWayAsync(HttpClient admin, object? extra = null)
    {
        await _feed.StationAsync(Station, Lat, Lon);
        var volunteer = await _feed.VolunteerAsync();
        var startsAt = factory.Clock.GetUtcNow().AddHours(1);
        var id = await _feed.ActivityAsync(admin, startsAt, startsAt.AddHours(2), extra: extra);
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt);
        return (id, volunteer, startsAt);
    }

    [Fact]
    public async Task A_QR_token_checks_a_volunteer_in_once_and_a_replayed_or_expired_one_is_refused()
    {
        using var admin = factory.CreateClient();
        var (id, wang, startsAt) = await UnderWayAsync(admin);
        using var phone = _feed.Phone(wang);
        var li = await _feed.VolunteerAsync();
        using var liPhone = _feed.Phone(li);
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        var qr = await admin.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.OK);
        var token = qr.GetProperty("token").GetString();
        // Every screen in the rotation slot shows the same code.
        Assert.Equal(token, (await admin.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString());
        await phone.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.Forbidden);

        var checkedIn = await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, token }, HttpStatusCode.OK);
        // The answer is the volunteer's own sign-up, not the whole activity with everyone's attendance.
        Assert.Equal(wang, checkedIn.GetProperty("volunteerId").GetGuid());
        Assert.False(checkedIn.TryGetProperty("signUps", out _));
        Assert.Equal("QrToken", checkedIn.GetProperty("checkInMethod").GetString());
        // Replayed for the same volunteer and direction.
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await phone.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = wang, token }, HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await phone.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = wang, token }, HttpStatusCode.Conflict);

        // Expired: the same code two minutes later.
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await liPhone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = li, token }, HttpStatusCode.Conflict);
        Assert.Contains("expired", expired.GetProperty("detail").GetString());
        var forged = token![..^4] + "AAAA";
        Fail(await liPhone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = li, token = forged }, HttpStatusCode.BadRequest), "token");
        Assert.Equal(JsonValueKind.Null, SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), li).GetProperty("checkedInAt").ValueKind);
        _ = startsAt;
    }

    [Fact]
    public async Task A_location_near_the_venue_counts_and_one_far_away_is_refused()
    {
        using var admin = factory.CreateClient();
        var (id, wang, _) = await UnderWayAsync(admin);
        using var phone = _feed.Phone(wang);

        Fail(await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, latitude = Lat + 0.01, longitude = Lon }, HttpStatusCode.BadRequest), "latitude");
        Assert.Equal(JsonValueKind.Null, SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), wang).GetProperty("checkedInAt").ValueKind);
        var ok = await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, latitude = Lat + 0.001, longitude = Lon }, HttpStatusCode.OK);
        Assert.Equal("Location", ok.GetProperty("checkInMethod").GetString());
    }

    [Fact]
    public async Task A_mobile_activity_is_measured_from_its_own_place()
    {
        using var admin = factory.CreateClient();
        var (id, wang, _) = await UnderWayAsync(admin, new { isMobile = true, place = "王集村集市", latitude = 33.50, longitude = 118.30 });
        using var phone = _feed.Phone(wang);

        await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, latitude = Lat, longitude = Lon }, HttpStatusCode.BadRequest);
        await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, latitude = 33.5005, longitude = 118.30 }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task By_hand_only_an_admin_with_a_reason_may_record_attendance()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, Station);
        var (id, wang, startsAt) = await UnderWayAsync(admin);
        using var phone = _feed.Phone(wang);

        await phone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, reason = "trust me" }, HttpStatusCode.Forbidden);
        Fail(await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang }, HttpStatusCode.BadRequest), "reason");
        var ok = await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, at = startsAt, reason = "老人无智能手机" }, HttpStatusCode.OK);

        Assert.Equal(("Manual", "老人无智能手机"), (ok.GetProperty("checkInMethod").GetString(), ok.GetProperty("attendanceNote").GetString()));
        Assert.Equal(("Manual", "老人无智能手机"), (SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), wang).GetProperty("checkInMethod").GetString(),
            SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), wang).GetProperty("attendanceNote").GetString()));
    }

    [Fact]
    public async Task A_batch_uploaded_later_judges_each_item_on_its_own_timestamp()
    {
        using var admin = factory.CreateClient();
        var (id, wang, startsAt) = await UnderWayAsync(admin);
        var li = await _feed.VolunteerAsync();
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        var stranger = await _feed.VolunteerAsync();
        factory.Clock.SetUtcNow(startsAt.AddHours(5));

        var batch = await admin.PostAsync($"{Route}/{id}/attendance-batch", new
        {
            items = new object[]
            {
                // Uploaded out of order: the check-out comes first in the file.
                new { volunteerId = wang, kind = "CheckOut", at = startsAt.AddMinutes(90), reason = "离线补传" },
                new { volunteerId = wang, kind = "CheckIn", at = startsAt.AddMinutes(5), reason = "离线补传" },
                new { volunteerId = li, kind = "CheckIn", at = startsAt.AddHours(3), reason = "离线补传" },
                new { volunteerId = stranger, kind = "CheckIn", at = startsAt, reason = "离线补传" },
                new { volunteerId = li, kind = "CheckIn", at = startsAt, latitude = 0.0, longitude = 0.0 },
            },
        }, HttpStatusCode.OK);

        Assert.Equal((2, 3), (batch.GetProperty("accepted").GetInt32(), batch.GetProperty("refused").GetInt32()));
        Assert.Equal(new[] { 200, 200, 409, 404, 400 }, batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        var wangRow = SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), wang);
        Assert.Equal(startsAt.AddMinutes(5), wangRow.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal(startsAt.AddMinutes(90), wangRow.GetProperty("checkedOutAt").GetDateTimeOffset());
        Fail(await admin.PostAsync($"{Route}/{id}/attendance-batch", new { items = Array.Empty<object>() }, HttpStatusCode.BadRequest), "items");
    }

    [Fact]
    public async Task Completion_caps_hours_counts_residents_refuses_twice_and_a_correction_publishes_deltas()
    {
        using var admin = factory.CreateClient();
        await _feed.StationAsync(Station);
        var (wang, li) = (await _feed.VolunteerAsync(), await _feed.VolunteerAsync());
        var teamId = Guid.NewGuid();
        var startsAt = factory.Clock.GetUtcNow().AddHours(1);
        // A 12-hour activity: the default cap credits at most 8 hours.
        var id = await _feed.ActivityAsync(admin, startsAt, startsAt.AddHours(12), extra: new { teamId });
        foreach (var v in new[] { wang, li })
        {
            await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = v }, HttpStatusCode.OK);
        }
        factory.Clock.SetUtcNow(startsAt.AddHours(12));
        await admin.PostAsync($"{Route}/{id}/attendance-batch", new
        {
            items = new object[]
            {
                new { volunteerId = wang, kind = "CheckIn", at = startsAt, reason = "r" },
                new { volunteerId = wang, kind = "CheckOut", at = startsAt.AddHours(12), reason = "r" },
                new { volunteerId = li, kind = "CheckIn", at = startsAt, reason = "r" },
                new { volunteerId = li, kind = "CheckOut", at = startsAt.AddHours(1), reason = "r" },
            },
        }, HttpStatusCode.OK);

        Fail(await admin.PostAsync($"{Route}/{id}/complete", new { residentAttendees = -1 }, HttpStatusCode.BadRequest), "residentAttendees");
        await admin.PostAsync($"{Route}/{id}/complete", new { residentAttendees = 25 }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.Conflict);

        var completed = await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
        Assert.Equal((27, 25, teamId, ActivityCategory.ConvenienceService), (completed.AttendeeCount, completed.ResidentAttendeeCount, completed.TeamId, completed.Category));
        Assert.Equal(8m, completed.Participants.Single(p => p.VolunteerId == wang).CreditedHours);
        Assert.Equal(1m, completed.Participants.Single(p => p.VolunteerId == li).CreditedHours);

        Fail(await admin.PostAsync($"{Route}/{id}/corrections", new { corrections = new[] { new { volunteerId = li, checkedInAt = startsAt, checkedOutAt = startsAt.AddHours(3) } } }, HttpStatusCode.BadRequest), "reason");
        await admin.PostAsync($"{Route}/{id}/corrections", new
        {
            reason = "李强签退时间登记错误",
            corrections = new object[]
            {
                new { volunteerId = li, checkedInAt = startsAt, checkedOutAt = startsAt.AddHours(3) },
                new { volunteerId = wang, checkedInAt = (DateTimeOffset?)null, checkedOutAt = (DateTimeOffset?)null },
            },
        }, HttpStatusCode.OK);
        var corrected = await factory.PublishedAsync<ActivityCompletionCorrected>(m => m.ActivityId == id);
        Assert.Equal(2m, corrected.Deltas.Single(d => d.VolunteerId == li).Delta);
        Assert.Equal(-8m, corrected.Deltas.Single(d => d.VolunteerId == wang).Delta);
        Assert.Equal(26, corrected.AttendeeCount);
        var read = await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        Assert.Equal(3m, SignUpOf(read, li).GetProperty("creditedHours").GetDecimal());
    }

    private static void Fail(JsonElement problem, string field) => AssertNamesField(problem, field);
}
