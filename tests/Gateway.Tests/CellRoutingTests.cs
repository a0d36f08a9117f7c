using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// Township cells: each request to activities or grid reaches the cell serving its township, by the code in its path,
/// query or body, or by an id that names its township; county-level requests and older ids reach the primary cell.
/// </summary>
public sealed class CellRoutingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData("/api/v1/activities/plans/321324104201/2026", "activities-b")]
    [InlineData("/api/v1/activities/plans/321324100201/2026", "activities")]
    [InlineData("/api/v1/activities/feeds/stations/321324105201-S01.ics", "activities-b")]
    [InlineData("/api/v1/activities/feeds/townships/321324104.ics", "activities-b")]
    [InlineData("/api/v1/activities/cadence/stations/321324101203/2026-03", "activities")]
    [InlineData("/api/v1/grid/grids/321324104201-02-1", "grid-b")]
    [InlineData("/api/v1/grid/grids/321324100201-01/assignments", "grid")]
    public async Task A_code_in_the_path_picks_its_townships_cell(string path, string cell)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        Assert.Equal(cell, await CellsGateway.CellOfAsync(client, path));
    }

    [Theory]
    [InlineData("/api/v1/activities/lecturers?under=321324104", "activities-b")]
    [InlineData("/api/v1/activities/menu?stationCode=321324105201-E02", "activities-b")]
    [InlineData("/api/v1/activities/ratings/summary?stationCode=321324101201", "activities")]
    [InlineData("/api/v1/activities/cadence/stations?under=321324105&month=2026-03", "activities-b")]
    [InlineData("/api/v1/grid/statistics?under=321324104201", "grid-b")]
    [InlineData("/api/v1/grid/cases?under=321324104&open=true", "grid-b")]
    [InlineData("/api/v1/grid/escalations?under=321324100", "grid")]
    public async Task A_code_in_the_query_picks_its_townships_cell(string path, string cell)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        Assert.Equal(cell, await CellsGateway.CellOfAsync(client, path));
    }

    [Fact]
    public async Task A_code_in_a_json_body_picks_its_townships_cell_and_the_body_arrives_whole()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        var activity = new { title = "学雷锋志愿服务", category = "ConvenienceService", stationCode = "321324104201-S01", capacity = 20 };
        using var created = await client.PostAsJsonAsync("/api/v1/activities", activity);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var echoed = (await created.Content.ReadFromJsonAsync<EchoedRequest>())!;
        Assert.Equal("activities-b", echoed.Cell);
        Assert.Equal(JsonSerializer.Serialize(activity), echoed.Body);

        var report = new { category = "sanitation", description = "路边垃圾堆积", villageCode = "321324101203" };
        Assert.Equal("grid", (await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/grid/cases")
        {
            Content = JsonContent.Create(report),
        })).Cell);

        // A lecturer is put in its township by the body's divisionCode, even under an id of another.
        var lecturer = TownshipGuid.New(DivisionCode.Parse("321324100"), Now);
        Assert.Equal("activities-b", (await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Put, $"/api/v1/activities/lecturers/{lecturer}")
        {
            Content = JsonContent.Create(new { divisionCode = "321324105", name = "张老师" }),
        })).Cell);

        // Merging grids names them in a list.
        Assert.Equal("grid-b", (await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/grid/grids/merge")
        {
            Content = JsonContent.Create(new { codes = new[] { "321324104201-01", "321324104201-02" }, serial = 5 }),
        })).Cell);
    }

    [Fact]
    public async Task An_id_that_names_its_township_picks_that_townships_cell()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();
        var inB = TownshipGuid.New(DivisionCode.Parse("321324104201"), Now);
        var inA = TownshipGuid.New(DivisionCode.Parse("321324101"), Now);

        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, $"/api/v1/activities/{inB}"));
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, $"/api/v1/activities/{inA}/records"));
        Assert.Equal("grid-b", (await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/grid/cases/{inB}/accept")
        {
            Content = JsonContent.Create(new { remark = "属实，立案" }),
        })).Cell);
        // A sign-up names the activity in the path and a volunteer (no township) after it.
        Assert.Equal("activities-b", (await CellsGateway.EchoAsync(client,
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/activities/{inB}/sign-ups/{Guid.CreateVersion7()}"))).Cell);
        // An order placed from a menu item names only the item, in its body.
        Assert.Equal("activities-b", (await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities/orders")
        {
            Content = JsonContent.Create(new { menuItemId = inB, details = "希望周六上午上门" }),
        })).Cell);
    }

    [Theory]
    [InlineData("/api/v1/activities/plans/321324/2026")]
    [InlineData("/api/v1/activities/lecturers?under=321324")]
    [InlineData("/api/v1/grid/categories")]
    public async Task County_codes_and_requests_naming_no_township_go_to_the_primary_cell(string path)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        Assert.Equal(path.Contains("/grid/") ? "grid" : "activities", await CellsGateway.CellOfAsync(client, path));
    }

    [Fact]
    public async Task Ids_made_before_cells_go_to_the_primary_cell()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, $"/api/v1/activities/{Guid.CreateVersion7()}"));
        Assert.Equal("grid", await CellsGateway.CellOfAsync(client, $"/api/v1/grid/cases/{Guid.NewGuid()}"));
        // A county-level record's id is an ordinary version 7 id.
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, $"/api/v1/activities/series/{TownshipGuid.New(DivisionCode.Parse("321324"), Now)}"));
    }

    [Fact]
    public async Task A_township_admin_who_names_no_place_reaches_their_own_townships_cell()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client(TestTokens.Create(PracticeMeshRoles.TownshipAdmin, "321324104"));

        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, "/api/v1/activities/lecturers"));
        // Their county-wide list is their township's: only its cell is asked.
        Assert.Equal("grid-b", await CellsGateway.CellOfAsync(client, "/api/v1/grid/cases?under=321324&open=true"));
        Assert.Empty(gateway.Backends["grid"].Received);
    }

    [Fact]
    public async Task A_township_in_no_cell_is_a_404_problem_naming_it_and_reaches_no_cell()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/v1/activities/plans/321324106201/2026"),
            new HttpRequestMessage(HttpMethod.Get, $"/api/v1/grid/cases/{TownshipGuid.New(DivisionCode.Parse("321324106"), Now)}"),
            new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities") { Content = JsonContent.Create(new { stationCode = "321324106201" }) },
        })
        {
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(404, problem.GetProperty("status").GetInt32());
            Assert.Contains("No cell serves township 321324106", problem.GetProperty("detail").GetString());
        }
        Assert.All(gateway.Backends.Values, backend => Assert.Empty(backend.Received));
    }

    [Fact]
    public async Task Services_without_cells_route_as_before()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        Assert.Equal("others", await CellsGateway.CellOfAsync(client, "/api/v1/stations/321324104201"));
        Assert.Equal("others", await CellsGateway.CellOfAsync(client, "/api/v1/volunteers?under=321324104"));
    }

    [Fact]
    public async Task Without_a_table_every_request_goes_to_the_services_one_cluster()
    {
        var settings = GatewayHost.Settings(new Uri("http://127.0.0.1:1/"));
        await using var activities = await EchoBackend.StartAsync(cell: "activities");
        settings["ReverseProxy:Clusters:activities:Destinations:primary:Address"] = activities.Address.ToString();
        await using var factory = GatewayHost.Create(settings);
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());

        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324106201/2026"));
        // The county-wide list is forwarded as it came, not merged.
        var echoed = await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/activities?under=321324"));
        Assert.Equal(("/api/v1/activities", "?under=321324"), (echoed.Path, echoed.Query));
    }

    [Fact]
    public async Task The_api_document_is_each_services_own_not_one_per_cell()
    {
        static string Document(string path) =>
            """{"openapi": "3.1.1", "info": {"title": "PracticeMesh.Activities | v1", "version": "1.0.0"}, "paths": {"""
            + JsonSerializer.Serialize(path) + """: {"get": {"responses": {"200": {"description": "OK"}}}}}}""";
        await using var primary = await EchoBackend.StartAsync(Document("/api/v1/activities/from-the-primary-cell"), cell: "activities");
        await using var second = await EchoBackend.StartAsync(Document("/api/v1/activities/from-the-second-cell"), cell: "activities-b");
        var settings = GatewayHost.Settings(new Uri("http://127.0.0.1:1/"));
        settings["ReverseProxy:Clusters:activities:Destinations:primary:Address"] = primary.Address.ToString();
        settings["ReverseProxy:Clusters:activities-b:Destinations:primary:Address"] = second.Address.ToString();
        await using var factory = GatewayHost.Create(settings);
        using var client = factory.CreateClient();

        var paths = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/activities/from-the-primary-cell", out _));
        // A cell serves its service's document again; no route names it, so it is not asked.
        Assert.False(paths.TryGetProperty("/api/v1/activities/from-the-second-cell", out _));
    }
}
