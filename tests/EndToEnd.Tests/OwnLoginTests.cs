using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// A login is a person: a resident signs in with their own account, registers as a volunteer, is approved by the
/// station, and from then on signs up, checks in and reads their own hours and certificate as themselves, and cannot
/// do any of it for another volunteer.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class OwnLoginTests(DistributedPlatform platform)
{
    private const string Village = "321324104221";

    [Fact]
    public async Task A_volunteer_acts_as_themselves_and_not_for_another_and_reads_their_own_ledger_and_certificate()
    {
        using var admin = await platform.SignInAsync("county.admin");
        // Another volunteer of the same village, registered and approved by the station.
        var slice = new Slice(admin, Village);
        await slice.RegisterStationsAndVolunteerAsync();
        var someoneElse = slice.VolunteerId;

        // The person's own account, made by the county's admin; the password is theirs.
        var userName = $"li.na.{Guid.NewGuid():N}"[..20];
        const string password = "LiNa-own-password-1";
        await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "李娜", password, role = "volunteer", division = Village }, HttpStatusCode.Created);

        // Signed in as themselves, they ask to become a volunteer; the station of their village approves.
        using var before = await platform.SignInAsync(userName, password);
        var registration = await before.PostAsync("/api/v1/volunteers/self-registrations",
            new { realName = "李娜", idNumber = TestIdCards.Next(), phone = TestIdCards.Mobile(), politicalStatus = "Masses" }, HttpStatusCode.Created);
        var myId = registration.GetProperty("id").GetGuid();
        Assert.Equal("Pending", (await before.GetAsync("/api/v1/volunteers/me", HttpStatusCode.OK)).GetProperty("status").GetString());
        await admin.PostAsync($"/api/v1/volunteers/{myId}/approve", null, HttpStatusCode.OK);

        // Identity links the login when it hears of the approval: the next sign-in's token names the volunteer.
        // (A token issued in the very second of the link counts as issued before it and is refused: sign in again.)
        var token = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var anonymous = platform.CreateClient();
            var candidate = await PlatformTokens.PasswordAsync(anonymous, userName, password);
            if (VolunteerIdIn(candidate) != myId)
            {
                return null;
            }
            using var probe = platform.CreateClient().WithToken(candidate);
            using var mine = await probe.GetAsync("/api/v1/activities/me");
            return mine.StatusCode == HttpStatusCode.OK ? candidate : null;
        }, "the login to be linked to the approved volunteer");
        using var me = platform.CreateClient().WithToken(token);

        var startsAt = DateTimeOffset.UtcNow.AddHours(-2).AddMinutes(-10);
        var activity = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = Village, title = "文明实践政策宣讲", category = "Policy", startsAt, endsAt = startsAt.AddHours(5), capacity = 20,
            });
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, "the activities service to learn of the station");
        var activityId = JsonDocument.Parse(activity).RootElement.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{activityId}/publish", null, HttpStatusCode.OK);

        // They sign up themselves (no id needed: the login says who) ...
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await me.PostAsJsonAsync($"/api/v1/activities/{activityId}/sign-ups", new { });
            return response.StatusCode == HttpStatusCode.OK ? "signed up" : null;
        }, "the activities service to learn of the approved volunteer");
        // ... and cannot sign up, or check in, the other volunteer of their village.
        await me.PostAsync($"/api/v1/activities/{activityId}/sign-ups", new { volunteerId = someoneElse }, HttpStatusCode.NotFound);
        await admin.PostAsync($"/api/v1/activities/{activityId}/sign-ups", new { volunteerId = someoneElse }, HttpStatusCode.OK);

        // The station's screen shows the rotating QR code; the volunteer scans it for themselves only.
        var qr = (await admin.GetAsync($"/api/v1/activities/{activityId}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString();
        await me.PostAsync($"/api/v1/activities/{activityId}/check-ins", new { volunteerId = someoneElse, token = qr }, HttpStatusCode.NotFound);
        var mine = await me.PostAsync($"/api/v1/activities/{activityId}/check-ins", new { token = qr }, HttpStatusCode.OK);
        Assert.Equal(myId, mine.GetProperty("volunteerId").GetGuid());

        // The station completes the activity and records, by hand and audited, that they were there two hours.
        await admin.PostAsync($"/api/v1/activities/{activityId}/complete", null, HttpStatusCode.OK);
        await admin.PostAsync($"/api/v1/activities/{activityId}/corrections", new
        {
            reason = "按签到表补录签退",
            corrections = new[] { new { volunteerId = myId, checkedInAt = startsAt, checkedOutAt = startsAt.AddHours(2) } },
        }, HttpStatusCode.OK);

        // Their own ledger, through /me, and nobody else's.
        var ledger = JsonDocument.Parse(await HttpAssertions.EventuallyAsync(async () =>
        {
            var hours = await me.GetAsync("/api/v1/volunteers/me/hours", HttpStatusCode.OK);
            return hours.GetProperty("totalHours").GetDecimal() == 2m ? hours.GetRawText() : null;
        }, "two hours in the volunteer's own ledger")).RootElement;
        Assert.Equal(myId, ledger.GetProperty("volunteerId").GetGuid());
        using (var others = await me.GetAsync($"/api/v1/volunteers/{someoneElse}/hours"))
        {
            Assert.True(others.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"another's ledger answered {(int)others.StatusCode}");
        }
        var myActivities = await me.GetAsync("/api/v1/activities/me", HttpStatusCode.OK);
        Assert.Contains(myActivities.GetProperty("items").EnumerateArray(), a => a.GetProperty("activityId").GetGuid() == activityId);

        // Their own certificate of service, as a PDF.
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var certificate = await me.PostAsync("/api/v1/volunteers/me/certificates",
            new { from = today.AddDays(-7).ToString("yyyy-MM-dd"), to = today.ToString("yyyy-MM-dd") }, HttpStatusCode.Created);
        using var pdf = await me.GetAsync($"/api/v1/volunteers/me/certificates/{certificate.GetProperty("id").GetGuid()}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4]);
    }

    /// <summary>The <c>volunteer_id</c> claim of an access token (a JWT), or null.</summary>
    private static Guid? VolunteerIdIn(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var claims = JsonDocument.Parse(Convert.FromBase64String(payload));
        return claims.RootElement.TryGetProperty("volunteer_id", out var id) && Guid.TryParse(id.GetString(), out var volunteerId) ? volunteerId : null;
    }
}
