using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// A school station (321324104206-S01) through the standalone host: registered by stations, heard of by activities,
/// holding an activity whose hours reach its volunteer's ledger and the school station's own month in assessment.
/// </summary>
public class UnitStationStandaloneTests(StandalonePlatform platform) : IClassFixture<StandalonePlatform>
{
    private const string Village = "321324104206";
    private const string School = Village + "-S01";

    [Fact]
    public async Task A_school_station_holds_an_activity_that_credits_its_volunteer_and_counts_in_its_own_month()
    {
        using var client = await platform.SignInAsync("county.admin");
        foreach (var (code, kind) in new[] { ("321324", "CountyCentre"), ("321324104", "Institute"), (Village, "Village"), (School, "School") })
        {
            using var registered = await client.PostAsJsonAsync("/api/v1/stations", new { code, name = $"{code} 实践站", kind }, HttpAssertions.Json);
            Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await registered.Content.ReadAsStringAsync());
        }
        var volunteer = (await client.PostAsync("/api/v1/volunteers", TestIdCards.Registration("学校志愿者", School), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await client.PostAsync($"/api/v1/volunteers/{volunteer}/approve", null, HttpStatusCode.OK);
        var startsAt = DateTimeOffset.UtcNow.AddHours(-2).AddMinutes(-5);

        // Activities learns of the school station from StationRegistered: until then it answers 404.
        var created = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = School, title = "校园文明实践", category = "CivilityGuidance", startsAt, endsAt = startsAt.AddHours(4), capacity = 20,
            });
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, "the activities service to learn of the school station");
        var activity = JsonDocument.Parse(created).RootElement.GetProperty("id").GetGuid();
        await client.PostAsync($"/api/v1/activities/{activity}/publish", null, HttpStatusCode.OK);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/activities/{activity}/sign-ups", new { volunteerId = volunteer });
            return response.StatusCode == HttpStatusCode.OK ? "signed up" : null;
        }, "the activities service to learn of the approved volunteer");
        await client.PostAsync($"/api/v1/activities/{activity}/check-ins", new { volunteerId = volunteer, at = startsAt, reason = "补录" }, HttpStatusCode.OK);
        await client.PostAsync($"/api/v1/activities/{activity}/check-outs", new { volunteerId = volunteer, at = startsAt.AddHours(2), reason = "补录" },
            HttpStatusCode.OK);
        await client.PostAsync($"/api/v1/activities/{activity}/complete", null, HttpStatusCode.OK);

        var month = startsAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var assessed = await HttpAssertions.EventuallyAsync(async () =>
        {
            var record = await client.GetAsync($"/api/v1/assessment/stations/{School}/months/{month}", HttpStatusCode.OK);
            return record.GetProperty("completedActivities").GetInt32() == 1 ? record.GetRawText() : null;
        }, "the school station's month to count the activity");
        Assert.Equal(2m, JsonDocument.Parse(assessed).RootElement.GetProperty("volunteerHours").GetDecimal());
        var ledger = await HttpAssertions.EventuallyAsync(async () =>
        {
            var hours = await client.GetAsync($"/api/v1/volunteers/{volunteer}/hours", HttpStatusCode.OK);
            return hours.GetProperty("totalHours").GetDecimal() == 2m ? hours.GetRawText() : null;
        }, "2 hours in the ledger");
        Assert.Contains(activity.ToString(), ledger);
        Assert.Equal(School, (await client.GetAsync($"/api/v1/volunteers/{volunteer}", HttpStatusCode.OK)).GetProperty("homeStationCode").GetString());
    }
}
