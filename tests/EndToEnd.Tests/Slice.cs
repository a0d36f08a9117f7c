using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// The backbone slice through the public paths: a township institute and a village station under it, a volunteer
/// registered and approved, an activity created, published, signed up for, checked in and out of, and completed.
/// </summary>
/// <param name="village">The station's code: each test holds its activities at a village of its own.</param>
public sealed class Slice(HttpClient client, string village)
{
    public const string County = "321324";
    public const string Township = "321324104";

    public string Village { get; } = village;

    public Guid VolunteerId { get; private set; }

    public async Task RegisterStationsAndVolunteerAsync()
    {
        // The county centre and the institute may exist already (another test of this run registered them).
        await RegisterOnceAsync(new { code = County, name = "泗洪县新时代文明实践中心", kind = "CountyCentre" });
        // The institute of the station's own township (a test of township cells holds slices in two townships).
        var township = Village[..9];
        await RegisterOnceAsync(new { code = township, name = township == Township ? "青阳镇新时代文明实践所" : $"{township}新时代文明实践所", kind = "Institute" });
        await client.PostAsync("/api/v1/stations", new { code = Village, name = $"{Village}新时代文明实践站", kind = "Community" }, HttpStatusCode.Created);
        var volunteer = await client.PostAsync("/api/v1/volunteers", TestIdCards.Registration("王芳", Village), HttpStatusCode.Created);
        VolunteerId = volunteer.GetProperty("id").GetGuid();
        var approved = await client.PostAsync($"/api/v1/volunteers/{VolunteerId}/approve", null, HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("status").GetString());
    }

    private async Task RegisterOnceAsync(object station)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/stations", station, HttpAssertions.Json);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
            $"registering {JsonSerializer.Serialize(station)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Runs an activity up to the point of completion: the volunteer was there from its start for
    /// <paramref name="hours"/> hours (check-ins uploaded afterwards keep their own time).
    /// </summary>
    public async Task<Guid> HoldActivityAsync(string title, decimal hours)
    {
        var startsAt = DateTimeOffset.UtcNow.AddHours(-(double)hours).AddMinutes(-5);
        var endsAt = startsAt.AddHours(4);
        // Activities learns of the station from StationRegistered: until then it answers 404.
        var activity = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = Village, title, category = "Policy", startsAt, endsAt, capacity = 20,
            });
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, "the activities service to learn of the station");
        var activityId = JsonDocument.Parse(activity).RootElement.GetProperty("id").GetGuid();
        await client.PostAsync($"/api/v1/activities/{activityId}/publish", null, HttpStatusCode.OK);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/activities/{activityId}/sign-ups", new { volunteerId = VolunteerId });
            return response.StatusCode == HttpStatusCode.OK ? "signed up" : null;
        }, "the activities service to learn of the approved volunteer");
        await client.PostAsync($"/api/v1/activities/{activityId}/check-ins", new { volunteerId = VolunteerId, at = startsAt, reason = "uploaded after the activity" }, HttpStatusCode.OK);
        await client.PostAsync($"/api/v1/activities/{activityId}/check-outs",
            new { volunteerId = VolunteerId, at = startsAt.AddHours((double)hours), reason = "uploaded after the activity" }, HttpStatusCode.OK);
        StartedAt = startsAt;
        StartedMonth = startsAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return activityId;
    }

    /// <summary>When the last activity held started, and the volunteer checked in.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public string StartedMonth { get; private set; } = "";

    /// <summary>Corrects the completed activity: the volunteer was there for <paramref name="hours"/> hours from its start.</summary>
    public Task CorrectAsync(Guid activityId, decimal hours, string reason) =>
        client.PostAsync($"/api/v1/activities/{activityId}/corrections", new
        {
            reason,
            corrections = new[] { new { volunteerId = VolunteerId, checkedInAt = StartedAt, checkedOutAt = StartedAt.AddHours((double)hours) } },
        }, HttpStatusCode.OK);

    public Task CompleteAsync(Guid activityId) => client.PostAsync($"/api/v1/activities/{activityId}/complete", null, HttpStatusCode.OK);

    public async Task<JsonElement> HoursAsync() => await client.GetAsync($"/api/v1/volunteers/{VolunteerId}/hours", HttpStatusCode.OK);

    /// <summary>Waits until the ledger total is <paramref name="total"/>, then returns the ledger.</summary>
    public async Task<JsonElement> WaitForTotalHoursAsync(decimal total, TimeSpan? timeout = null) =>
        JsonDocument.Parse(await HttpAssertions.EventuallyAsync(async () =>
        {
            var ledger = await HoursAsync();
            return ledger.GetProperty("totalHours").GetDecimal() == total ? ledger.GetRawText() : null;
        }, $"{total} hours in the ledger", timeout)).RootElement;

    public Task<JsonElement> AssessmentAsync() =>
        client.GetAsync($"/api/v1/assessment/stations/{Village}/months/{StartedMonth}", HttpStatusCode.OK);

    public async Task<JsonElement> WaitForAssessmentAsync(int completedActivities, TimeSpan? timeout = null) =>
        JsonDocument.Parse(await HttpAssertions.EventuallyAsync(async () =>
        {
            var month = await AssessmentAsync();
            return month.GetProperty("completedActivities").GetInt32() >= completedActivities ? month.GetRawText() : null;
        }, $"{completedActivities} completed activities in the assessment", timeout)).RootElement;

    /// <summary>Waits until the station's month holds <paramref name="hours"/> volunteer hours, then returns it.</summary>
    public async Task<JsonElement> WaitForAssessmentHoursAsync(decimal hours) =>
        JsonDocument.Parse(await HttpAssertions.EventuallyAsync(async () =>
        {
            var month = await AssessmentAsync();
            return month.GetProperty("volunteerHours").GetDecimal() == hours ? month.GetRawText() : null;
        }, $"{hours} volunteer hours in the assessment")).RootElement;
}
