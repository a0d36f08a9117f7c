using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// Open311 across grid cells: a request number names its township, so a read by number goes to that township's cell;
/// a partner's post goes to the cell of its <c>address_id</c> village or <c>jurisdiction_id</c> township; what names
/// no township (older numbers, a point alone) goes to the primary cell, as before cells.
/// </summary>
public sealed class Open311CellRoutingTests
{
    [Theory]
    [InlineData("/open311/v2/requests/20261130-321324104-K7Q2M.json", "grid-b")]
    [InlineData("/open311/v2/requests/20261130-321324105-A2B3C.xml", "grid-b")]
    [InlineData("/open311/v2/requests/20261130-321324100-K7Q2M.json", "grid")]
    [InlineData("/open311/v2/requests/20261130-K7Q2M.json", "grid")]
    [InlineData("/open311/v2/requests.json?service_request_id=20261130-321324104-K7Q2M,20261201-321324104-A2B3C", "grid-b")]
    [InlineData("/open311/v2/services.json?jurisdiction_id=321324104", "grid-b")]
    public async Task A_read_by_request_number_reaches_the_cell_of_the_township_the_number_names(string path, string cell)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Factory.CreateClient();

        Assert.Equal(cell, await CellsGateway.CellOfAsync(client, path));
    }

    [Fact]
    public async Task A_number_of_a_township_no_cell_serves_is_404_and_not_forwarded()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Factory.CreateClient();

        using var response = await client.GetAsync("/open311/v2/requests/20261130-321324106-K7Q2M.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("321324106", await response.Content.ReadAsStringAsync());
        Assert.All(gateway.Backends.Values, backend => Assert.Empty(backend.Received));
    }

    [Theory]
    [InlineData("address_id", "321324104202", "grid-b")]
    [InlineData("address_id", "321324101203", "grid")]
    [InlineData("jurisdiction_id", "321324105", "grid-b")]
    public async Task A_post_goes_to_the_cell_of_its_village_or_jurisdiction_with_its_form_whole(string field, string code, string cell)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Factory.CreateClient();
        var form = new Dictionary<string, string> { ["api_key"] = "k", ["service_code"] = "sanitation", [field] = code, ["description"] = "路边垃圾 堆积&无人清运" };
        var sent = await new FormUrlEncodedContent(form).ReadAsStringAsync();

        using var posted = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));

        var echoed = (await posted.Content.ReadFromJsonAsync<EchoedRequest>())!;
        Assert.Equal(cell, echoed.Cell);
        Assert.Equal(sent, echoed.Body);
    }

    [Fact]
    public async Task A_post_of_a_point_alone_goes_to_the_cell_whose_grids_hold_it_with_its_form_whole()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: LocatingCells);
        using var client = gateway.Factory.CreateClient();
        var form = new Dictionary<string, string> { ["api_key"] = "k", ["service_code"] = "sanitation", ["lat"] = "33.5", ["long"] = "118.25" };
        var sent = await new FormUrlEncodedContent(form).ReadAsStringAsync();

        using var posted = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));

        var echoed = (await posted.Content.ReadFromJsonAsync<EchoedRequest>())!;
        Assert.Equal(("grid-b", "/open311/v2/requests.json", sent), (echoed.Cell, echoed.Path, echoed.Body));
        // Every grid cell was asked; neither activities cell was.
        Assert.Equal(1, gateway.Backends["grid"].CountFor(LocatePath));
        Assert.Equal(1, gateway.Backends["grid-b"].CountFor(LocatePath));
        Assert.Equal(0, gateway.Backends["activities"].CountFor(LocatePath) + gateway.Backends["activities-b"].CountFor(LocatePath));
    }

    [Fact]
    public async Task A_post_of_a_point_no_cells_grids_hold_goes_to_the_primary_cell()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: LocatingCells);
        using var client = gateway.Factory.CreateClient();
        var form = new Dictionary<string, string> { ["api_key"] = "k", ["service_code"] = "sanitation", ["lat"] = "31.0", ["long"] = "118.25" };

        using var posted = await client.PostAsync("/open311/v2/requests.xml", new FormUrlEncodedContent(form));

        Assert.Equal("grid", (await posted.Content.ReadFromJsonAsync<EchoedRequest>())!.Cell);
    }

    [Fact]
    public async Task A_post_of_a_point_while_a_grid_cell_is_down_is_503_with_retry_after_and_not_forwarded()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: LocatingCells, cells: ["activities", "activities-b", "grid"]);
        using var client = gateway.Factory.CreateClient();
        var form = new Dictionary<string, string> { ["api_key"] = "k", ["service_code"] = "sanitation", ["lat"] = "31.0", ["long"] = "118.25" };

        using var posted = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
        Assert.NotNull(posted.Headers.RetryAfter);
        Assert.Contains("grid-b", await posted.Content.ReadAsStringAsync());
        Assert.Equal(0, gateway.Backends["grid"].CountFor("/open311/v2/requests.json"));

        // A post naming its village does not need the cells' answer.
        form["address_id"] = "321324101203";
        using var named = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));
        Assert.Equal("grid", (await named.Content.ReadFromJsonAsync<EchoedRequest>())!.Cell);
    }

    [Theory]
    [InlineData("?status=open")]
    [InlineData("?service_request_id=20261130-321324104-BBBBB,20261130-321324100-AAAAA,20261129-321324105-CCCCC")]
    [InlineData("?service_request_id=20261130-K7Q2M")]
    public async Task A_search_across_townships_or_by_older_numbers_is_answered_from_every_grid_cell_newest_first(string query)
    {
        await using var gateway = await CellsGateway.StartAsync(answer: SearchingCells);
        using var client = gateway.Factory.CreateClient();

        var found = await client.GetFromJsonAsync<List<Dictionary<string, string>>>("/open311/v2/requests.json" + query);

        Assert.Equal(["20261130-321324104-BBBBB", "20261130-321324100-AAAAA", "20261129-321324105-CCCCC"], found!.Select(r => r["service_request_id"]));
        Assert.All(new[] { "grid", "grid-b" }, cell => Assert.Equal(1, gateway.Backends[cell].CountFor("/open311/v2/requests.json")));
        Assert.Equal(query, gateway.Backends["grid-b"].Received.Single(r => r.Path == "/open311/v2/requests.json").Query);
    }

    [Theory]
    [InlineData("?service_request_id=20261130-321324104-BBBBB,20261129-321324104-DDDDD")]
    [InlineData("?jurisdiction_id=321324105&status=open")]
    public async Task A_search_of_one_township_asks_its_cell_alone(string query)
    {
        await using var gateway = await CellsGateway.StartAsync(answer: SearchingCells);
        using var client = gateway.Factory.CreateClient();

        var found = await client.GetFromJsonAsync<List<Dictionary<string, string>>>("/open311/v2/requests.json" + query);

        Assert.Equal(2, found!.Count);
        Assert.Equal(0, gateway.Backends["grid"].CountFor("/open311/v2/requests.json"));
    }

    /// <summary>Each grid cell answers a search with its own requests, newest first, as the grid service does.</summary>
    private static async Task<bool> SearchingCells(string cell, HttpContext context, EchoedRequest echoed)
    {
        if (echoed.Path != "/open311/v2/requests.json")
        {
            return false;
        }
        object[] requests = cell switch
        {
            "grid" => [new { service_request_id = "20261130-321324100-AAAAA", requested_datetime = "2026-11-30T10:00:00+08:00" }],
            "grid-b" =>
            [
                new { service_request_id = "20261130-321324104-BBBBB", requested_datetime = "2026-11-30T11:00:00+08:00" },
                new { service_request_id = "20261129-321324105-CCCCC", requested_datetime = "2026-11-29T09:00:00+08:00" },
            ],
            _ => [],
        };
        await context.Response.WriteAsJsonAsync(requests);
        return true;
    }

    [Fact]
    public async Task A_token_is_answered_by_the_cell_holding_its_request_and_a_miss_by_the_primary()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: TokenCells);
        using var client = gateway.Factory.CreateClient();

        using var found = await client.GetAsync($"/open311/v2/tokens/{HeldToken}.json");
        using var missed = await client.GetAsync($"/open311/v2/tokens/{Guid.NewGuid()}.json");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains("20261130-321324104-BBBBB", await found.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missed.StatusCode);
        Assert.Contains("primary says no", await missed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_while_a_grid_cell_is_down_is_503_unless_another_cell_holds_it()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: TokenCells, cells: ["activities", "activities-b", "grid"]);
        using var client = gateway.Factory.CreateClient();

        using var missed = await client.GetAsync($"/open311/v2/tokens/{HeldToken}.json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, missed.StatusCode);
        Assert.NotNull(missed.Headers.RetryAfter);
        Assert.Contains("grid-b", await missed.Content.ReadAsStringAsync());
    }

    private static readonly Guid HeldToken = Guid.NewGuid();

    /// <summary>Cell grid-b holds <see cref="HeldToken"/>'s request; every other token is a miss in every cell.</summary>
    private static async Task<bool> TokenCells(string cell, HttpContext context, EchoedRequest echoed)
    {
        if (!echoed.Path.StartsWith("/open311/v2/tokens/", StringComparison.Ordinal))
        {
            return false;
        }
        if (cell == "grid-b" && echoed.Path.Contains(HeldToken.ToString(), StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new[] { new { service_request_id = "20261130-321324104-BBBBB", token = HeldToken } });
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new[] { new { code = 404, description = cell == "grid" ? "primary says no" : "no" } });
        }
        return true;
    }

    private const string LocatePath = "/api/v1/grid/locate/township";

    /// <summary>Cell grid-b's grids hold points north of 33°, township 321324104's; no other cell holds any.</summary>
    private static async Task<bool> LocatingCells(string cell, HttpContext context, EchoedRequest echoed)
    {
        if (echoed.Path != LocatePath)
        {
            return false;
        }
        var lat = double.Parse(context.Request.Query["lat"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        if (cell == "grid-b" && lat > 33)
        {
            await context.Response.WriteAsJsonAsync(new { township = "321324104" });
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return true;
    }
}
