using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>The same slice against the standalone host: one process, SQLite, the in-memory bus.</summary>
public class StandaloneSliceTests(StandalonePlatform platform) : IClassFixture<StandalonePlatform>
{
    [Fact]
    public async Task The_slice_credits_hours_and_feeds_assessment_in_one_process()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104201");
        await slice.RegisterStationsAndVolunteerAsync();
        var activityId = await slice.HoldActivityAsync("健康义诊", hours: 2.5m);
        await slice.CompleteAsync(activityId);

        var ledger = await slice.WaitForTotalHoursAsync(2.5m);
        var entry = Assert.Single(ledger.GetProperty("entries").EnumerateArray());
        Assert.Equal(activityId, entry.GetProperty("activityId").GetGuid());
        var month = await slice.WaitForAssessmentAsync(1);
        Assert.Equal(2.5m, month.GetProperty("volunteerHours").GetDecimal());

        // Completing twice is refused and changes nothing.
        await PracticeMesh.TestSupport.HttpAssertions.PostAsync(client, $"/api/v1/activities/{activityId}/complete", null, System.Net.HttpStatusCode.Conflict);
        Assert.Equal(2.5m, (await slice.HoursAsync()).GetProperty("totalHours").GetDecimal());
    }

    [Fact]
    public async Task Moved_with_ASPNETCORE_URLS_the_host_issues_tokens_for_its_new_address_and_accepts_them()
    {
        // The fixture starts the host with ASPNETCORE_URLS on a free port and no Auth:Issuer.
        using var client = platform.CreateClient();
        var token = await PlatformTokens.PasswordAsync(client, "county.admin", PlatformTokens.DemoPassword);
        Assert.Equal(platform.Host.Address.ToString(), new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Issuer);

        using var response = await client.WithToken(token).GetAsync("/api/v1/stations?under=321324");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>The README's run command: the standalone host loads its demo county through its own API.</summary>
public class StandaloneDemoTests(DemoStandalonePlatform platform) : IClassFixture<DemoStandalonePlatform>
{
    [Fact]
    public async Task The_demo_county_loads_with_its_completed_lecture_and_credited_hours()
    {
        using var client = await platform.SignInAsync("county.admin");
        var month = DateTimeOffset.UtcNow.AddHours(-3).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var assessment = await PracticeMesh.TestSupport.HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync($"/api/v1/assessment/stations/321324104202/months/{month}");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Contains("\"completedActivities\":1") ? body : null;
        }, "the demo lecture to reach the assessment");

        Assert.Contains("\"volunteerHours\":6", assessment);
        var stations = await client.GetStringAsync("/api/v1/stations?under=321324");
        Assert.Contains("321324104202", stations);
        Assert.Contains("321324105201", stations);
    }
}
