using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// A volunteer signs up, withdraws, checks in and out only as themselves: another volunteer's id is unknown to them
/// (404) and nothing is written. Admins and team leaders act for volunteers of their scope, and it is audited.
/// </summary>
public sealed class ActingForSelfTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private const string Station = "321324104201";
    private const double Lat = 33.4600, Lon = 118.2200;
    private readonly Feed _feed = new(factory);

    private async Task<(Guid Id, DateTimeOffset StartsAt)> AnnouncedAsync(HttpClient admin)
    {
        await _feed.StationAsync(Station, Lat, Lon);
        var startsAt = factory.Clock.GetUtcNow().AddDays(10);
        return (await _feed.ActivityAsync(admin, startsAt, startsAt.AddHours(2)), startsAt);
    }

    private static async Task DeleteAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.DeleteAsync(path);
        Assert.True(response.StatusCode == expected, $"DELETE {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static bool SignedUp(JsonElement activity, Guid volunteer) =>
        activity.GetProperty("signUps").EnumerateArray().Any(s => s.GetProperty("volunteerId").GetGuid() == volunteer);

    [Fact]
    public async Task A_volunteer_signs_up_and_withdraws_only_themselves()
    {
        using var admin = factory.CreateClient();
        var (id, _) = await AnnouncedAsync(admin);
        var wang = await _feed.VolunteerAsync();
        var li = await _feed.VolunteerAsync();
        using var wangPhone = _feed.Phone(wang);

        // With no volunteerId, the signed-in volunteer signs up themselves.
        var mine = await wangPhone.PostAsync($"{Route}/{id}/sign-ups", new { }, HttpStatusCode.OK);
        Assert.True(SignedUp(mine, wang));

        // Another volunteer's id is unknown to them, exactly as a made-up one, and nothing is written.
        var other = await wangPhone.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.NotFound);
        var madeUp = await wangPhone.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = Guid.NewGuid() }, HttpStatusCode.NotFound);
        Assert.Equal(other.GetProperty("status").GetInt32(), madeUp.GetProperty("status").GetInt32());
        Assert.False(SignedUp(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), li));

        // Li's place is not Wang's to give up.
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        await DeleteAsync(wangPhone, $"{Route}/{id}/sign-ups/{li}", HttpStatusCode.NotFound);
        Assert.True(SignedUp(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), li));
        await DeleteAsync(wangPhone, $"{Route}/{id}/sign-ups/{wang}", HttpStatusCode.OK);
        var after = await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        Assert.False(SignedUp(after, wang));
        Assert.True(SignedUp(after, li));
    }

    [Fact]
    public async Task A_login_linked_to_no_volunteer_must_name_one_and_may_not_name_anyone()
    {
        using var admin = factory.CreateClient();
        var (id, _) = await AnnouncedAsync(admin);
        var wang = await _feed.VolunteerAsync();
        using var unlinked = factory.CreateClient(PracticeMeshRoles.Volunteer, Station);

        Feed.AssertNamesField(await unlinked.PostAsync($"{Route}/{id}/sign-ups", new { }, HttpStatusCode.BadRequest), "volunteerId");
        await unlinked.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.NotFound);
        Assert.False(SignedUp(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), wang));
    }

    [Fact]
    public async Task A_volunteer_checks_in_and_out_only_themselves_by_QR_location_and_batch()
    {
        using var admin = factory.CreateClient();
        var (id, startsAt) = await AnnouncedAsync(admin);
        var wang = await _feed.VolunteerAsync();
        var li = await _feed.VolunteerAsync();
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt);
        using var wangPhone = _feed.Phone(wang);
        using var liPhone = _feed.Phone(li);
        var token = (await admin.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString();

        // For Li, by QR, by location, in a batch: unknown to Wang, and Li is not checked in.
        await wangPhone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = li, token }, HttpStatusCode.NotFound);
        await wangPhone.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = li, latitude = Lat, longitude = Lon }, HttpStatusCode.NotFound);
        var batch = await wangPhone.PostAsync($"{Route}/{id}/attendance-batch", new
        {
            items = new object[]
            {
                new { volunteerId = li, kind = "CheckIn", at = startsAt, latitude = Lat, longitude = Lon },
                new { kind = "CheckIn", at = startsAt, latitude = Lat, longitude = Lon },
            },
        }, HttpStatusCode.OK);
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal((404, 200), (results[0].GetProperty("status").GetInt32(), results[1].GetProperty("status").GetInt32()));
        Assert.Equal(wang, results[1].GetProperty("volunteerId").GetGuid());
        var activity = await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, SignUpOf(activity, li).GetProperty("checkedInAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, SignUpOf(activity, wang).GetProperty("checkedInAt").ValueKind);

        // The QR code Wang tried for Li is not used up: Li scans it for herself.
        await liPhone.PostAsync($"{Route}/{id}/check-ins", new { token }, HttpStatusCode.OK);

        // Checking out someone else is refused the same way; one's own check-out needs no id.
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await wangPhone.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = li, latitude = Lat, longitude = Lon }, HttpStatusCode.NotFound);
        Assert.Equal(JsonValueKind.Null, SignUpOf(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), li).GetProperty("checkedOutAt").ValueKind);
        var out_ = await wangPhone.PostAsync($"{Route}/{id}/check-outs", new { latitude = Lat, longitude = Lon }, HttpStatusCode.OK);
        Assert.Equal(wang, out_.GetProperty("volunteerId").GetGuid());
    }

    [Fact]
    public async Task A_team_leader_acts_for_volunteers_of_their_township_audited_and_for_no_one_beyond_it()
    {
        using var admin = factory.CreateClient();
        var (id, startsAt) = await AnnouncedAsync(admin);
        var wang = await _feed.VolunteerAsync();
        var elsewhere = await _feed.VolunteerAsync("321324105201");
        var leaderSubject = $"leader-{Guid.NewGuid():N}";
        using var leader = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TeamLeader, "321324104", subject: leaderSubject));

        await leader.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = wang }, HttpStatusCode.OK);
        var audit = await factory.PublishedAsync<AuditRecorded>(a => a.SubjectId == leaderSubject);
        Assert.Equal(PracticeMeshRoles.TeamLeader, audit.Role);
        Assert.Contains(wang.ToString(), audit.Detail);
        Assert.Contains($"/{id}/sign-ups", audit.Action);

        await leader.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = elsewhere }, HttpStatusCode.NotFound);
        Assert.False(SignedUp(await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK), elsewhere));

        factory.Clock.SetUtcNow(startsAt);
        await leader.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = wang, latitude = Lat, longitude = Lon }, HttpStatusCode.OK);
        await HttpAssertions.EventuallyAsync(() => Task.FromResult<object?>(
            factory.Harness.Published.Select<AuditRecorded>(a => a.Context.Message.SubjectId == leaderSubject
                && a.Context.Message.Action.EndsWith("/check-ins", StringComparison.Ordinal)).Any() ? true : null), "the check-in on behalf to be audited");
    }

    [Fact]
    public async Task A_volunteers_own_acts_are_not_recorded_as_acts_on_behalf()
    {
        using var admin = factory.CreateClient();
        var (id, _) = await AnnouncedAsync(admin);
        var wang = await _feed.VolunteerAsync();
        var subject = $"volunteer-{Guid.NewGuid():N}";
        using var phone = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Volunteer, Station, subject: subject, volunteerId: wang));
        var leaderSubject = $"leader-{Guid.NewGuid():N}";
        using var leader = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TeamLeader, "321324104", subject: leaderSubject));
        var li = await _feed.VolunteerAsync();

        await phone.PostAsync($"{Route}/{id}/sign-ups", new { }, HttpStatusCode.OK);
        // A later act on behalf is published through the same outbox: once it is out, the volunteer's own would be too.
        await leader.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = li }, HttpStatusCode.OK);
        await factory.PublishedAsync<AuditRecorded>(a => a.SubjectId == leaderSubject);
        Assert.Empty(factory.Harness.Published.Select<AuditRecorded>(a => a.Context.Message.SubjectId == subject));
    }
}
