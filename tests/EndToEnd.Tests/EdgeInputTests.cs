using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// Bad input at the edge of a real Kestrel host (the standalone host, which composes every module): what the
/// application answers is problem details; what Kestrel refuses before the application runs is a bare status
/// (docs/architecture.md, Errors, lists which and why).
/// </summary>
public class EdgeInputTests(StandalonePlatform platform) : IClassFixture<StandalonePlatform>
{
    [Fact]
    public async Task Every_module_refuses_nul_text_and_out_of_window_dates_with_problem_details()
    {
        using var client = await platform.SignInAsync("county.admin");

        HttpAssertions.AssertNamesInvalid(await client.GetAsync("/api/v1/activities/menu?stationCode=%00", HttpStatusCode.BadRequest), "stationCode");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync("/api/v1/grid/grids",
            new { villageCode = "321324104201", parentCode = "a\u0000b", serial = 1, name = "A" }, HttpStatusCode.BadRequest), "parentCode");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"/api/v1/volunteers/{Guid.NewGuid()}/hours/credits",
            new { hours = 1, servedOn = "0001-01-01", reason = "补录" }, HttpStatusCode.BadRequest), "servedOn");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"/api/v1/activities/cadence/teams/{Guid.NewGuid()}/10000", HttpStatusCode.BadRequest), "year");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync("/api/v1/assessment/months/9999-12", HttpStatusCode.BadRequest), "month");
    }

    [Fact]
    public async Task An_over_long_target_is_414_with_problem_details_up_to_kestrels_own_limit()
    {
        using var client = platform.CreateClient();

        var longQuery = new string('a', 10_000);
        using (var response = await client.GetAsync($"/api/v1/activities/menu?q={longQuery}"))
        {
            Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Beyond Kestrel's request-line limit no application code runs: the 414 is Kestrel's own, empty.
        var hugeQuery = new string('a', 70_000);
        using (var response = await client.GetAsync($"/api/v1/activities/menu?q={hugeQuery}"))
        {
            Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
            Assert.Null(response.Content.Headers.ContentType);
        }
    }

    [Fact]
    public async Task A_nul_in_the_path_is_refused_by_kestrel_before_the_application()
    {
        using var client = platform.CreateClient();
        using var response = await client.GetAsync("/api/v1/stations/%00");

        // Kestrel refuses a decoded NUL in the path while parsing the request line: a bare 400, no body, no hook.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
