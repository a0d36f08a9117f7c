using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PracticeMesh.Contracts;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// The distributed mode with two township cells (实践所 cells) of activities and grid behind one gateway: the primary
/// cells serve 青阳镇 (321324104), the second cells ("b", each with its own database and queues) serve 321324105.
/// </summary>
public sealed class CellsPlatform : IAsyncLifetime
{
    public const string TownshipA = "321324104";
    public const string TownshipB = "321324105";

    /// <summary>The gateway's routing table: one township per cell of each cell service.</summary>
    public static readonly string Table = JsonSerializer.Serialize(new
    {
        services = ProcessPlatform.CellServices.ToDictionary(service => service, service => new
        {
            primary = service,
            cells = new Dictionary<string, string[]> { [service] = [TownshipA], [ProcessPlatform.CellOf(service)] = [TownshipB] },
        }),
    });

    private readonly ProcessPlatform _platform = new("pm_cells", ProcessPlatform.AllServices)
    {
        SecondCells = ProcessPlatform.CellServices,
        CellsTable = Table,
        GatewaySettings = new Dictionary<string, string>
        {
            ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "100000",
            ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "100000",
        },
    };

    public string DatabaseOf(string service) => _platform.DatabaseOf(service);

    public Task StopProcessAsync(string name) => _platform.StopProcessAsync(name);

    public Task<HttpClient> SignInAsync(string userName) => _platform.SignInAsync(userName);

    public string Logs => _platform.Logs;

    public Task InitializeAsync() => _platform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CellsCollection : ICollectionFixture<CellsPlatform>
{
    public const string Name = "township cells";
}

[Collection(CellsCollection.Name)]
public class CellsTests(CellsPlatform platform)
{
    private const string Activities = "/api/v1/activities";

    [Fact]
    public async Task Each_cell_holds_its_townships_activities_the_county_reads_both_both_feed_assessment_and_hours_and_a_stopped_cell_stops_only_its_townships()
    {
        using var client = await platform.SignInAsync("county.admin");
        var inA = new Slice(client, $"{CellsPlatform.TownshipA}201");
        var inB = new Slice(client, $"{CellsPlatform.TownshipB}201");
        await inA.RegisterStationsAndVolunteerAsync();
        await inB.RegisterStationsAndVolunteerAsync();

        // Created by station code (routing by code), then published, signed up for and checked in and out of by id
        // alone (routing by the township the id names).
        var a = await inA.HoldActivityAsync("青阳镇政策宣讲", hours: 2m);
        var b = await inB.HoldActivityAsync("双沟镇科普讲座", hours: 3m);

        Assert.Equal(DivisionCode.Parse(CellsPlatform.TownshipA), TownshipGuid.TownshipOf(a));
        Assert.Equal(DivisionCode.Parse(CellsPlatform.TownshipB), TownshipGuid.TownshipOf(b));
        // Each cell's database holds its own townships' activities and nothing of the other's.
        Assert.Equal((true, false), (await HoldsAsync(platform.DatabaseOf("activities"), "activities", a), await HoldsAsync(platform.DatabaseOf("activities"), "activities", b)));
        Assert.Equal((false, true), (await HoldsAsync(platform.DatabaseOf("activities-b"), "activities", a), await HoldsAsync(platform.DatabaseOf("activities-b"), "activities", b)));
        Assert.Equal(inB.Village, (await client.GetAsync($"{Activities}/{b}", HttpStatusCode.OK)).GetProperty("stationCode").GetString());

        // The county's calendar is answered across both cells.
        var from = Uri.EscapeDataString(inA.StartedAt.AddDays(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(inA.StartedAt.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        var calendar = await client.GetAsync($"{Activities}?under={Slice.County}&from={from}&to={to}", HttpStatusCode.OK);
        var listed = calendar.EnumerateArray().Select(x => x.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(a, listed);
        Assert.Contains(b, listed);

        // Completed in each cell: volunteers credit both and assessment counts both.
        await inA.CompleteAsync(a);
        await inB.CompleteAsync(b);
        Assert.Equal(b, Assert.Single((await inB.WaitForTotalHoursAsync(3m)).GetProperty("entries").EnumerateArray()).GetProperty("activityId").GetGuid());
        Assert.Equal(a, Assert.Single((await inA.WaitForTotalHoursAsync(2m)).GetProperty("entries").EnumerateArray()).GetProperty("activityId").GetGuid());
        Assert.Equal(3m, (await inB.WaitForAssessmentAsync(1)).GetProperty("volunteerHours").GetDecimal());
        Assert.Equal(2m, (await inA.WaitForAssessmentAsync(1)).GetProperty("volunteerHours").GetDecimal());

        // Cell b's activities process goes away: its township is unavailable for a while, the other one is not.
        await platform.StopProcessAsync(ProcessPlatform.CellOf("activities"));
        var unavailable = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync(Activities, NewActivity(inB.Village), HttpAssertions.Json);
            return response.StatusCode == HttpStatusCode.ServiceUnavailable
                ? $"{response.Headers.RetryAfter}|{response.Content.Headers.ContentType?.MediaType}"
                : null;
        }, "the gateway to answer 503 for the stopped cell's township");
        var (retryAfter, mediaType) = (unavailable.Split('|')[0], unavailable.Split('|')[1]);
        Assert.False(string.IsNullOrEmpty(retryAfter), "a 503 for a stopped cell says when to retry");
        Assert.Equal("application/problem+json", mediaType);
        using (var byId = await client.GetAsync($"{Activities}/{b}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, byId.StatusCode);
            Assert.NotNull(byId.Headers.RetryAfter);
        }
        await client.PostAsync(Activities, NewActivity(inA.Village), HttpStatusCode.Created);
        Assert.Equal("Completed", (await client.GetAsync($"{Activities}/{a}", HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_case_reported_in_each_cells_township_lands_in_that_cell_and_the_countys_open_cases_list_both()
    {
        using var client = await platform.SignInAsync("county.admin");
        var villageA = $"{CellsPlatform.TownshipA}211";
        var villageB = $"{CellsPlatform.TownshipB}211";
        var caseA = await ReportInNewGridAsync(client, villageA, 33.41);
        var caseB = await ReportInNewGridAsync(client, villageB, 33.42);

        Assert.Equal(DivisionCode.Parse(CellsPlatform.TownshipB), TownshipGuid.TownshipOf(caseB));
        Assert.Equal((true, false), (await HoldsAsync(platform.DatabaseOf("grid"), "cases", caseA), await HoldsAsync(platform.DatabaseOf("grid"), "cases", caseB)));
        Assert.Equal((false, true), (await HoldsAsync(platform.DatabaseOf("grid-b"), "cases", caseA), await HoldsAsync(platform.DatabaseOf("grid-b"), "cases", caseB)));
        Assert.Equal(villageB, (await client.GetAsync($"/api/v1/grid/cases/{caseB}", HttpStatusCode.OK)).GetProperty("divisionCode").GetString());

        var open = await client.GetAsync($"/api/v1/grid/cases?under={Slice.County}&open=true&pageSize=100", HttpStatusCode.OK);
        var listed = open.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(caseA, listed);
        Assert.Contains(caseB, listed);
    }

    /// <summary>Registers the village's station (grid learns villages from the registry), a grid in it, and a case there.</summary>
    private static async Task<Guid> ReportInNewGridAsync(HttpClient client, string village, double latitude)
    {
        await RegisterOnceAsync(client, new { code = Slice.County, name = "泗洪县新时代文明实践中心", kind = "CountyCentre" });
        await RegisterOnceAsync(client, new { code = village[..9], name = $"{village[..9]}新时代文明实践所", kind = "Institute" });
        await RegisterOnceAsync(client, new { code = village, name = $"{village}新时代文明实践站", kind = "Community" });
        var grid = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/grid/grids", new { villageCode = village, serial = 1, name = "第1网格" }, HttpAssertions.Json);
            return response.StatusCode == HttpStatusCode.Created
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()
                : null;
        }, $"the grid cell of {village} to learn of the village");
        var reported = await client.PostAsync("/api/v1/grid/cases", new
        {
            category = "sanitation", description = "路边垃圾堆积", address = "三组路口", latitude, longitude = 118.41, gridCode = grid,
            media = new[] { "https://media.example.cn/before.jpg" },
        }, HttpStatusCode.Created);
        return reported.GetProperty("id").GetGuid();
    }

    private static async Task RegisterOnceAsync(HttpClient client, object station)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/stations", station, HttpAssertions.Json);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
            $"registering {JsonSerializer.Serialize(station)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static object NewActivity(string station)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        return new { stationCode = station, title = "文明实践志愿服务", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 10 };
    }

    /// <summary>Whether <paramref name="table"/> of a cell's own database holds the row <paramref name="id"/>.</summary>
    private static async Task<bool> HoldsAsync(string database, string table, Guid id)
    {
        await using var connection = new NpgsqlConnection(RealServers.PostgresDatabase(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE \"Id\" = $1", connection);
        command.Parameters.AddWithValue(id);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
