using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PracticeMesh.Contracts;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// A county's activity calendar and its open cases, asked as the county, come from every cell at once, merged in the
/// services' own order and paging; a cell that is down makes the answer 503 rather than a list missing its townships.
/// </summary>
public sealed class CountyWideReadTests
{
    private const string Calendar = "/api/v1/activities";
    private const string Cases = "/api/v1/grid/cases";

    /// <summary>Each cell's calendar, ordered by start as the service orders it; the second cell writes China time.</summary>
    private static readonly Dictionary<string, object[]> Activities = new()
    {
        ["activities"] =
        [
            Activity("321324100", "2026-03-05T01:00:00+00:00"), Activity("321324101", "2026-03-05T03:00:00+00:00"),
            Activity("321324100", "2026-03-05T05:00:00+00:00"),
        ],
        ["activities-b"] = [Activity("321324104", "2026-03-05T10:00:00+08:00"), Activity("321324105", "2026-03-05T12:00:00+08:00")],
    };

    /// <summary>Each cell's cases, newest first as the service orders them.</summary>
    private static readonly Dictionary<string, object[]> CasesByCell = new()
    {
        ["grid"] = [.. new[] { 9, 7, 6, 3, 1 }.Select(hour => Case("321324100", hour))],
        ["grid-b"] = [.. new[] { 8, 5, 4, 2 }.Select(hour => Case("321324104", hour))],
    };

    private static object Activity(string township, string startsAt) =>
        new { id = TownshipGuid.New(DivisionCode.Parse(township), DateTimeOffset.UtcNow), stationCode = township + "201", startsAt, title = $"{township} {startsAt}" };

    private static object Case(string township, int hour) =>
        new { id = TownshipGuid.New(DivisionCode.Parse(township), DateTimeOffset.UtcNow), number = $"{township}-{hour}", reportedAt = $"2026-03-05T{hour:00}:00:00+00:00" };

    /// <summary>The cells as the services answer their lists: the calendar whole, the cases paged by page and pageSize.</summary>
    private static async Task<bool> AnswerListsAsync(string cell, HttpContext context, EchoedRequest echoed)
    {
        if (echoed.Path == Calendar)
        {
            await context.Response.WriteAsJsonAsync(Activities[cell]);
            return true;
        }
        if (echoed.Path == Cases)
        {
            if (context.Request.Query["open"] == "maybe")
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { title = "One or more validation errors occurred.", status = 400, errors = new { open = new[] { "true or false" } } },
                    options: null, contentType: "application/problem+json");
                return true;
            }
            var page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            var size = int.Parse(context.Request.Query["pageSize"].FirstOrDefault() ?? "50", System.Globalization.CultureInfo.InvariantCulture);
            var all = CasesByCell[cell];
            await context.Response.WriteAsJsonAsync(new { items = all.Skip((page - 1) * size).Take(size), page, pageSize = size, total = all.Length });
            return true;
        }
        return false;
    }

    private static List<string> Titles(JsonElement list, string property) => [.. list.EnumerateArray().Select(item => item.GetProperty(property).GetString()!)];

    [Fact]
    public async Task The_county_calendar_merges_every_cell_in_start_order_with_the_callers_headers()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync);
        using var client = gateway.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Calendar}?under=321324&from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00");
        request.Headers.Add("X-Correlation-Id", "county-calendar-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calendar = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["321324100 2026-03-05T01:00:00+00:00", "321324104 2026-03-05T10:00:00+08:00", "321324101 2026-03-05T03:00:00+00:00",
             "321324105 2026-03-05T12:00:00+08:00", "321324100 2026-03-05T05:00:00+00:00"],
            Titles(calendar, "title"));
        foreach (var cell in new[] { "activities", "activities-b" })
        {
            var asked = Assert.Single(gateway.Backends[cell].Received);
            Assert.Equal(request.RequestUri!.Query, asked.Query);
            Assert.Equal(client.DefaultRequestHeaders.Authorization!.ToString(), asked.Authorization);
            Assert.Equal("county-calendar-1", asked.CorrelationId);
            Assert.NotNull(asked.TraceParent);
        }
        Assert.Equal(["county-calendar-1"], response.Headers.GetValues("X-Correlation-Id"));
    }

    [Fact]
    public async Task A_county_admin_or_partner_who_names_no_scope_gets_the_county_calendar()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync);

        foreach (var token in new[] { GatewayHost.PersonToken(), GatewayHost.PartnerToken("county-partner") })
        {
            using var client = gateway.Client(token);
            var calendar = await client.GetFromJsonAsync<JsonElement>(Calendar);
            Assert.Equal(5, calendar.GetArrayLength());
        }
    }

    [Fact]
    public async Task The_county_cases_list_is_paged_across_cells_newest_first_with_the_whole_total()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync);
        using var client = gateway.Client();

        var page = await client.GetFromJsonAsync<JsonElement>($"{Cases}?open=true&page=2&pageSize=3");

        // Newest first over both cells: 9 8 7 | 6 5 4 | 3 2 1.
        Assert.Equal(["321324100-6", "321324104-5", "321324104-4"], Titles(page.GetProperty("items"), "number"));
        Assert.Equal((2, 3, 9), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        // Each cell was asked for everything down to the end of that page.
        Assert.All(new[] { "grid", "grid-b" }, cell => Assert.Equal("?open=true&page=1&pageSize=6", Assert.Single(gateway.Backends[cell].Received).Query));
    }

    [Fact]
    public async Task A_county_page_deeper_than_a_cells_largest_page_is_gathered_from_several()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync,
            settingsToo: new Dictionary<string, string?> { ["Gateway:Cells:CountyReads:grid-cases:MaxPageSize"] = "2" });
        using var client = gateway.Client();

        var page = await client.GetFromJsonAsync<JsonElement>($"{Cases}?page=3&pageSize=2");

        // 9 8 | 7 6 | 5 4 | 3 2 | 1
        Assert.Equal(["321324104-5", "321324104-4"], Titles(page.GetProperty("items"), "number"));
        Assert.Equal(9, page.GetProperty("total").GetInt32());
        Assert.Equal(["?page=1&pageSize=2", "?page=2&pageSize=2", "?page=3&pageSize=2"],
            gateway.Backends["grid"].Received.Select(r => r.Query).ToList());
        // The second cell's total (4) was reached on its second page.
        Assert.Equal(["?page=1&pageSize=2", "?page=2&pageSize=2"], gateway.Backends["grid-b"].Received.Select(r => r.Query).ToList());
    }

    [Fact]
    public async Task What_the_service_refuses_is_refused_as_the_service_says()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync);
        using var client = gateway.Client();

        using var response = await client.GetAsync($"{Cases}?open=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        HttpAssertions.AssertNamesInvalid(await response.Content.ReadFromJsonAsync<JsonElement>(), "open");
    }

    [Fact]
    public async Task A_cell_that_is_down_makes_the_county_list_a_503_naming_it_while_township_lists_are_answered()
    {
        await using var gateway = await CellsGateway.StartAsync(answer: AnswerListsAsync);
        using var client = gateway.Client();
        Assert.Equal(9, (await client.GetFromJsonAsync<JsonElement>($"{Cases}?open=true")).GetProperty("total").GetInt32());

        await gateway.Backends["grid-b"].DisposeAsync();

        using var response = await client.GetAsync($"{Cases}?open=true");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Contains("grid-b could not be reached", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // The primary cell's townships and the other service's county calendar are answered.
        Assert.Equal(5, (await client.GetFromJsonAsync<JsonElement>($"{Cases}?under=321324100")).GetProperty("total").GetInt32());
        Assert.Equal(5, (await client.GetFromJsonAsync<JsonElement>(Calendar)).GetArrayLength());
    }

    [Fact]
    public async Task With_one_cell_for_the_service_the_county_list_is_forwarded_as_it_came()
    {
        const string oneGridCell = """
            {"services": {"grid": {"primary": "grid", "cells": {"grid": ["321324100", "321324101", "321324104", "321324105"]}}}}
            """;
        await using var gateway = await CellsGateway.StartAsync(table: oneGridCell);
        using var client = gateway.Client();

        var echoed = await CellsGateway.EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, $"{Cases}?open=true&page=2&pageSize=3"));

        Assert.Equal(("grid", "?open=true&page=2&pageSize=3"), (echoed.Cell, echoed.Query));
    }
}
