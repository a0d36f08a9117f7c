using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>The working calendar over HTTP: the shipped 2026 data, a county loading a year, and who may.</summary>
public sealed class CalendarApiTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/calendar";

    [Fact]
    public async Task The_published_2026_calendar_is_there_from_the_start()
    {
        using var worker = factory.CreateClient(PracticeMeshRoles.GridWorker, "321324104201");

        var year = await worker.GetAsync($"{Path}/2026", HttpStatusCode.OK);

        Assert.Equal("default", year.GetProperty("source").GetString());
        var holidays = Dates(year, "holidays");
        Assert.Equal(33, holidays.Count);
        Assert.Contains("2026-10-01", holidays);
        Assert.Contains("2026-02-15", holidays);
        Assert.Equal(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"], Dates(year, "workdays"));
        Assert.Equal(["08:30-12:00", "13:30-17:30"], Dates(year, "workingHours"));
    }

    [Fact]
    public async Task A_year_with_no_data_says_it_has_weekends_off_only()
    {
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, "321324104202");

        var year = await resident.GetAsync($"{Path}/2031", HttpStatusCode.OK);

        Assert.Equal("weekends-only", year.GetProperty("source").GetString());
        Assert.Empty(Dates(year, "holidays"));
    }

    [Fact]
    public async Task The_county_loads_a_year_and_limits_count_on_it_at_once()
    {
        using var county = factory.CreateClient();

        var loaded = await county.PutJsonAsync($"{Path}/2027", new { holidays = new[] { "2027-02-08" }, workdays = new[] { "2027-02-13" } }, HttpStatusCode.OK);

        Assert.Equal("county", loaded.GetProperty("source").GetString());
        var read = await county.GetAsync($"{Path}/2027", HttpStatusCode.OK);
        Assert.Equal(["2027-02-08"], Dates(read, "holidays"));
        Assert.Equal(["2027-02-13"], Dates(read, "workdays"));
        await using var scope = factory.Services.CreateAsyncScope();
        var limits = scope.ServiceProvider.GetRequiredService<ICaseTimeLimits>();
        // Friday 5 Feb + 1 working day: Monday 8 Feb is now a holiday, so Tuesday; Friday 12 Feb + 1: Saturday 13 Feb is worked.
        var oneDay = new WorkingTime(1, LimitUnit.WorkingDays);
        Assert.Equal(TimeLimitTests.China(2027, 2, 9, 17, 30), await limits.AddAsync(TimeLimitTests.China(2027, 2, 5, 10), oneDay, CancellationToken.None));
        Assert.Equal(TimeLimitTests.China(2027, 2, 13, 17, 30), await limits.AddAsync(TimeLimitTests.China(2027, 2, 12, 10), oneDay, CancellationToken.None));
    }

    [Fact]
    public async Task Loading_a_year_again_replaces_it_and_moves_its_version()
    {
        using var county = factory.CreateClient();
        await county.PutJsonAsync($"{Path}/2028", new { holidays = new[] { "2028-01-03" } }, HttpStatusCode.OK);

        var again = await county.PutJsonAsync($"{Path}/2028", new { holidays = new[] { "2028-01-04", "2028-01-05" }, workdays = Array.Empty<string>() }, HttpStatusCode.OK);

        Assert.Equal(1, again.GetProperty("version").GetInt32());
        Assert.Equal(["2028-01-04", "2028-01-05"], Dates(await county.GetAsync($"{Path}/2028", HttpStatusCode.OK), "holidays"));
    }

    [Theory]
    [InlineData(PracticeMeshRoles.TownshipAdmin, "321324104")]
    [InlineData(PracticeMeshRoles.StationAdmin, "321324104201")]
    [InlineData(PracticeMeshRoles.CountyAdmin, "321324104")]
    [InlineData(PracticeMeshRoles.GridWorker, "321324104201")]
    public async Task Only_the_countys_administrators_load_a_calendar(string role, string division)
    {
        using var other = factory.CreateClient(role, division);

        await other.PutJsonAsync($"{Path}/2029", new { holidays = new[] { "2029-01-01" } }, HttpStatusCode.Forbidden);

        Assert.Equal("weekends-only", (await factory.CreateClient().GetAsync($"{Path}/2029", HttpStatusCode.OK)).GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("""{"holidays":["2029-01-01"],"workdays":["2030-01-05"]}""", "workdays")] // another year
    [InlineData("""{"holidays":["2028-12-31"]}""", "holidays")]
    [InlineData("""{"holidays":[],"workdays":["2030-01-07"]}""", "workdays")] // a Monday is a working day already
    [InlineData("""{"holidays":["2030-01-05"],"workdays":["2030-01-05"]}""", "holidays")] // both
    [InlineData("""{"workdays":["2030-01-05"]}""", "holidays")] // missing
    public async Task A_bad_calendar_is_400_naming_the_list_and_nothing_is_written(string body, string field)
    {
        using var county = factory.CreateClient();
        var year = body.Contains("2029-01-01") ? 2029 : body.Contains("2028-12-31") ? 2029 : 2030;

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await county.PutAsync($"{Path}/{year}", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        HttpAssertions.AssertNamesInvalid(await response.Content.ReadFromJsonAsync<JsonElement>(), field);
        Assert.Equal("weekends-only", (await county.GetAsync($"{Path}/{year}", HttpStatusCode.OK)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_year_out_of_range_is_400()
    {
        using var county = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await county.GetAsync($"{Path}/1999", HttpStatusCode.BadRequest), "year");
    }

    private static List<string> Dates(JsonElement body, string property) =>
        [.. body.GetProperty(property).EnumerateArray().Select(d => d.GetString()!)];
}

/// <summary>PUT with a JSON body, asserting the status (problem details for errors).</summary>
internal static class PutJson
{
    public static async Task<JsonElement> PutJsonAsync(this HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body, HttpAssertions.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
