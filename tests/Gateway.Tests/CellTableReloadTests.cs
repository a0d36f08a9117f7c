using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Gateway.Cells;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// The routing table changes while the gateway runs (a ConfigMap update), and a table that cannot be right is refused
/// whole, the one in force routing on; a cell that is down answers 503 for its own townships only.
/// </summary>
public sealed class CellTableReloadTests
{
    private const string Township105InA = """
        {"services": {
          "activities": {"primary": "activities", "cells": {"activities": ["321324100", "321324101", "321324105"], "activities-b": ["321324104"]}},
          "grid": {"primary": "grid", "cells": {"grid": ["321324100", "321324101"], "grid-b": ["321324104", "321324105"]}}}}
        """;

    [Fact]
    public async Task A_changed_table_routes_without_a_restart()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();
        const string path = "/api/v1/activities/plans/321324105201/2026";
        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, path));
        Assert.Equal("Healthy", await gateway.Factory.CreateClient().GetStringAsync("/health/ready"));

        // Township 105 moves to the primary cell: the kubelet swaps the mount's link to the new file.
        gateway.Mount.Write(Township105InA);

        await HttpAssertions.EventuallyAsync(async () => await CellsGateway.CellOfAsync(client, path) == "activities" ? "moved" : null,
            "township 321324105 routed to the primary cell", TimeSpan.FromSeconds(20));
        // The rest stays where it was.
        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324104201/2026"));
        Assert.Equal("grid-b", await CellsGateway.CellOfAsync(client, "/api/v1/grid/grids/321324105201-01"));
    }

    public static TheoryData<string, string> BadTables => new()
    {
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100", "321324105"], "activities-b": ["321324104", "321324105"]}}}}""",
            "township 321324105 is in two cells, activities and activities-b"
        },
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100"], "activities-b": ["32132410", "321324105"]}}}}""",
            "'32132410' is not a 9-digit township code"
        },
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100"], "activities-b": ["321324104201"]}}}}""",
            "'321324104201' is not a 9-digit township code"
        },
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100"], "activities-c": ["321324105"]}}}}""",
            "cell activities-c is not a configured cluster"
        },
        {
            """{"services": {"activities": {"cells": {"activities": ["321324100"], "activities-b": ["321324105"]}}}}""",
            "service activities: no primary cell"
        },
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100"], "grid-b": ["321324105"]}}}}""",
            "cell grid-b is not one of its clusters"
        },
        {
            """{"services": {"activities": {"primary": "activities", "cells": {"activities": ["321324100"], """,
            "not valid JSON"
        },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public async Task A_bad_table_is_refused_naming_the_problem_and_the_old_one_keeps_routing(string table, string problem)
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();

        gateway.Mount.Write(table);

        var refused = await HttpAssertions.EventuallyAsync(() => Task.FromResult(gateway.Table.Status is { Loaded: false } status ? status : null),
            "the new table refused", TimeSpan.FromSeconds(20));
        Assert.Contains(refused.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        // The gateway's readiness says so, and still lets traffic in.
        using (var ready = await gateway.Factory.CreateClient().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        }
        // Routing as by the table before it, for every township: 105 is still the second cell's.
        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324105201/2026"));
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324100201/2026"));
        Assert.Equal("grid-b", await CellsGateway.CellOfAsync(client, "/api/v1/grid/grids/321324104201-01"));

        // A good table after it is taken.
        gateway.Mount.Write(Township105InA);
        await HttpAssertions.EventuallyAsync(async () =>
                await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324105201/2026") == "activities" ? "moved" : null,
            "the good table loaded", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_bad_table_at_start_leaves_one_cluster_per_service()
    {
        await using var gateway = await CellsGateway.StartAsync(table: """{"services": {"activities": {"primary": "activities-x"}}}""");
        using var client = gateway.Client();

        Assert.Contains(gateway.Table.Status.Problems, p => p.Contains("cell activities-x is not a configured cluster", StringComparison.Ordinal));
        Assert.Empty(gateway.Table.Current.Services);
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324104201/2026"));
    }

    [Fact]
    public async Task A_cell_that_is_down_is_a_503_with_retry_after_for_its_townships_only()
    {
        await using var gateway = await CellsGateway.StartAsync();
        using var client = gateway.Client();
        Assert.Equal("activities-b", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324104201/2026"));

        // The second cell stops.
        await gateway.Backends["activities-b"].DisposeAsync();

        foreach (var request in new Func<HttpRequestMessage>[]
        {
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/activities/plans/321324104201/2026"),
            () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/activities/{Contracts.TownshipGuid.New(Contracts.DivisionCode.Parse("321324105"), DateTimeOffset.UtcNow)}"),
            () => new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities") { Content = JsonContent.Create(new { stationCode = "321324104202" }) },
        })
        {
            using var response = await client.SendAsync(request());

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            Assert.Contains("cell activities-b", detail);
        }
        // The other townships, and the second cell's townships in the other service, are answered as before.
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, "/api/v1/activities/plans/321324100201/2026"));
        Assert.Equal("activities", await CellsGateway.CellOfAsync(client, "/api/v1/activities/lecturers?under=321324101"));
        Assert.Equal("grid-b", await CellsGateway.CellOfAsync(client, "/api/v1/grid/grids/321324104201-01"));
    }
}
