using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Grid.Tests.GridVillageFeed;

namespace PracticeMesh.Grid.Tests;

/// <summary>Boundaries, locating and the village check on SQLite (the standalone host: the in-memory NTS index).</summary>
public sealed class GridsBoundaryTests(GridFactory factory) : GridsOnEveryStoreTests(factory), IClassFixture<GridFactory>;

/// <summary>The same on the real PostgreSQL with PostGIS (the distributed mode: ST_Covers on the GiST index).</summary>
public sealed class GridsBoundaryPostgresTests(PostgresGridFactory factory) : GridsOnEveryStoreTests(factory), IClassFixture<PostgresGridFactory>;

/// <summary>
/// What a grid's boundary must be and what locating answers, on each store. Each test draws in its own villages and its
/// own patch of the county, since level-2 boundaries are checked against the whole county.
/// </summary>
public abstract class GridsOnEveryStoreTests(ServiceFactory<GridModule> factory)
{
    private const string Path = "/api/v1/grid/grids";

    [Fact]
    public async Task Locating_finds_the_level_3_grid_before_its_level_2_grid_and_a_point_outside_is_404()
    {
        await factory.VillagesAsync("321324111201");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111201", serial = 1, name = "L2", boundary = Square(118.10, 33.10, 0.02) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324111201", parentCode = "321324111201-01", serial = 1, name = "L3", boundary = Square(118.10, 33.10) }, HttpStatusCode.Created);

        var inner = await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.105", HttpStatusCode.OK);
        var outer = await client.GetAsync("/api/v1/grid/locate?lat=33.115&lon=118.115", HttpStatusCode.OK);
        // A point on the level-3 grid's edge belongs to it.
        var edge = await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.11", HttpStatusCode.OK);

        Assert.Equal(("321324111201-01-1", "321324111201", 3), (inner.GetProperty("gridCode").GetString(), inner.GetProperty("villageCode").GetString(), inner.GetProperty("level").GetInt32()));
        Assert.Equal(("321324111201-01", 2), (outer.GetProperty("gridCode").GetString(), outer.GetProperty("level").GetInt32()));
        Assert.Equal("321324111201-01-1", edge.GetProperty("gridCode").GetString());
        await client.GetAsync("/api/v1/grid/locate?lat=33.2&lon=118.2", HttpStatusCode.NotFound);
        HttpAssertions.AssertNamesInvalid(await client.GetAsync("/api/v1/grid/locate?lon=118.1", HttpStatusCode.BadRequest), "lat");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync("/api/v1/grid/locate?lat=33.1&lon=190", HttpStatusCode.BadRequest), "lon");
        // Someone whose scope is another village does not learn of the grid.
        using var elsewhere = factory.CreateClient(ServiceDefaults.Security.PracticeMeshRoles.GridWorker, "321324111202");
        await elsewhere.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.105", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_gateway_learns_without_a_token_only_the_township_whose_grids_hold_a_point()
    {
        await factory.VillagesAsync("321324111219");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111219", serial = 1, name = "T", boundary = Square(118.90, 33.30) }, HttpStatusCode.Created);
        using var gateway = factory.CreateAnonymousClient();

        var found = await gateway.GetAsync("/api/v1/grid/locate/township?lat=33.305&lon=118.905", HttpStatusCode.OK);

        Assert.Equal("""{"township":"321324111"}""", found.GetRawText());
        await gateway.GetAsync("/api/v1/grid/locate/township?lat=33.4&lon=118.905", HttpStatusCode.NotFound);
        HttpAssertions.AssertNamesInvalid(await gateway.GetAsync("/api/v1/grid/locate/township?lat=33.1", HttpStatusCode.BadRequest), "lon");
    }

    [Fact]
    public async Task Locating_follows_every_write_a_redrawn_boundary_and_a_retirement()
    {
        await factory.VillagesAsync("321324111203");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111203", serial = 1, name = "A", boundary = Square(118.20, 33.10) }, HttpStatusCode.Created);
        Assert.Equal("321324111203-01", (await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.205", HttpStatusCode.OK)).GetProperty("gridCode").GetString());

        await client.PutAsync($"{Path}/321324111203-01", new { name = "A", boundary = Square(118.23, 33.10) }, HttpStatusCode.OK);

        await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.205", HttpStatusCode.NotFound);
        Assert.Equal("321324111203-01", (await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.235", HttpStatusCode.OK)).GetProperty("gridCode").GetString());
        await client.PostAsync($"{Path}/321324111203-01/retire", new { reason = "撤并" }, HttpStatusCode.OK);
        await client.GetAsync("/api/v1/grid/locate?lat=33.105&lon=118.235", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_geojson_is_a_feature_collection_of_the_active_grids_with_boundaries()
    {
        await factory.VillagesAsync("321324111204");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111204", serial = 1, name = "A", households = 12, population = 34, boundary = Square(118.30, 33.10) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324111204", serial = 2, name = "No boundary" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324111204", serial = 3, name = "Retired", boundary = Square(118.32, 33.10) }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/321324111204-03/retire", new { reason = "撤并" }, HttpStatusCode.OK);

        using var response = await client.GetAsync($"{Path}/geojson?under=321324111204");
        var collection = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", collection.GetProperty("type").GetString());
        var feature = Assert.Single(collection.GetProperty("features").EnumerateArray());
        Assert.Equal(("Feature", "Polygon"), (feature.GetProperty("type").GetString(), feature.GetProperty("geometry").GetProperty("type").GetString()));
        var properties = feature.GetProperty("properties");
        Assert.Equal(("321324111204-01", "A", 2, 12, 34), (properties.GetProperty("code").GetString(), properties.GetProperty("name").GetString(),
            properties.GetProperty("level").GetInt32(), properties.GetProperty("households").GetInt32(), properties.GetProperty("population").GetInt32()));
        Assert.Equal(5, feature.GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
    }

    public static TheoryData<string, object> BadBoundaries => new()
    {
        { "self-intersecting (a bow tie)", Polygon((118.40, 33.10), (118.41, 33.11), (118.41, 33.10), (118.40, 33.11), (118.40, 33.10)) },
        { "ring not closed", Polygon((118.40, 33.10), (118.41, 33.10), (118.41, 33.11), (118.40, 33.11)) },
        { "three positions", Polygon((118.40, 33.10), (118.41, 33.10), (118.40, 33.10)) },
        { "outside China (latitude and longitude swapped)", Square(33.10, 118.40) },
        { "not a polygon", new { type = "Point", coordinates = new[] { 118.40, 33.10 } } },
        { "no area", Polygon((118.40, 33.10), (118.41, 33.10), (118.42, 33.10), (118.40, 33.10)) },
    };

    [Theory]
    [MemberData(nameof(BadBoundaries))]
    public async Task A_bad_polygon_is_400_naming_boundary_and_nothing_is_written(string why, object boundary)
    {
        await factory.VillagesAsync("321324111205");
        using var client = factory.CreateClient();

        var problem = await client.PostAsync(Path, new { villageCode = "321324111205", serial = 1, name = why, boundary }, HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, "boundary");
        await client.GetAsync($"{Path}/321324111205-01", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Level_2_grids_of_the_county_may_touch_but_not_overlap()
    {
        await factory.VillagesAsync("321324111206", "321324112206");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111206", serial = 1, name = "A", boundary = Square(118.50, 33.10) }, HttpStatusCode.Created);

        // Another village's grid (same county) sharing an edge is fine; one reaching into it is not, and is not written.
        await client.PostAsync(Path, new { villageCode = "321324112206", serial = 1, name = "Touching", boundary = Square(118.51, 33.10) }, HttpStatusCode.Created);
        var problem = await client.PostAsync(Path, new { villageCode = "321324112206", serial = 2, name = "Overlapping", boundary = Square(118.505, 33.105) }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "boundary");
        Assert.Contains("321324111206-01", problem.GetProperty("errors").GetProperty("boundary")[0].GetString());
        await client.GetAsync($"{Path}/321324112206-02", HttpStatusCode.NotFound);
        // Redrawing a grid onto its neighbour is refused the same way; redrawing it onto its own ground is not.
        HttpAssertions.AssertNamesInvalid(await client.PutAsync($"{Path}/321324112206-01",
            new { name = "Touching", boundary = Square(118.505, 33.10) }, HttpStatusCode.BadRequest), "boundary");
        await client.PutAsync($"{Path}/321324112206-01", new { name = "Touching", boundary = Square(118.51, 33.10, 0.009) }, HttpStatusCode.OK);
        // A retired grid's ground is free again.
        await client.PostAsync($"{Path}/321324111206-01/retire", new { reason = "撤并" }, HttpStatusCode.OK);
        await client.PostAsync(Path, new { villageCode = "321324112206", serial = 3, name = "Taking over", boundary = Square(118.50, 33.10) }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_level_3_grid_lies_inside_its_parent_and_does_not_overlap_its_siblings()
    {
        await factory.VillagesAsync("321324111207");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111207", serial = 1, name = "L2", boundary = Square(118.60, 33.10, 0.02) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324111207", parentCode = "321324111207-01", serial = 1, name = "L3a", boundary = Square(118.60, 33.10) }, HttpStatusCode.Created);

        var outside = await client.PostAsync(Path, new { villageCode = "321324111207", parentCode = "321324111207-01", serial = 2, name = "Out", boundary = Square(118.615, 33.10) }, HttpStatusCode.BadRequest);
        var sibling = await client.PostAsync(Path, new { villageCode = "321324111207", parentCode = "321324111207-01", serial = 3, name = "Over", boundary = Square(118.605, 33.105) }, HttpStatusCode.BadRequest);
        await client.PostAsync(Path, new { villageCode = "321324111207", parentCode = "321324111207-01", serial = 4, name = "L3b", boundary = Square(118.61, 33.10) }, HttpStatusCode.Created);
        // Shrinking the parent so a child would fall outside it is refused too.
        var shrink = await client.PutAsync($"{Path}/321324111207-01", new { name = "L2", boundary = Square(118.60, 33.10, 0.015) }, HttpStatusCode.BadRequest);

        Assert.Contains("321324111207-01", outside.GetProperty("errors").GetProperty("boundary")[0].GetString());
        Assert.Contains("321324111207-01-1", sibling.GetProperty("errors").GetProperty("boundary")[0].GetString());
        Assert.Contains("321324111207-01-4", shrink.GetProperty("errors").GetProperty("boundary")[0].GetString());
        Assert.Equal(["321324111207-01", "321324111207-01-1", "321324111207-01-4"],
            (await client.GetAsync($"{Path}?under=321324111207", HttpStatusCode.OK)).EnumerateArray().Select(g => g.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Split_parts_are_checked_against_each_other_and_the_neighbours_and_nothing_is_written()
    {
        await factory.VillagesAsync("321324111208");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111208", serial = 1, name = "A", boundary = Square(118.70, 33.10, 0.02) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324111208", serial = 2, name = "Neighbour", boundary = Square(118.72, 33.10) }, HttpStatusCode.Created);

        var problem = await client.PostAsync($"{Path}/321324111208-01/split", new
        {
            reason = "拆分",
            parts = new object[]
            {
                new { serial = 3, name = "West", boundary = Square(118.70, 33.10, 0.012) },
                new { serial = 4, name = "East", boundary = Square(118.71, 33.10, 0.015) },
            },
        }, HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Contains("321324111208-03", errors.GetProperty("parts[1].boundary")[0].GetString());
        Assert.Contains("321324111208-02", errors.GetProperty("parts[1].boundary")[0].GetString());
        Assert.True((await client.GetAsync($"{Path}/321324111208-01", HttpStatusCode.OK)).GetProperty("active").GetBoolean());
        await client.GetAsync($"{Path}/321324111208-03", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_puts_of_one_version_give_one_200_and_one_409()
    {
        await factory.VillagesAsync("321324111209");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324111209", serial = 1, name = "A", households = 1 }, HttpStatusCode.Created);

        var statuses = await Task.WhenAll(new[] { "First", "Second" }.Select(async name =>
        {
            using var racer = factory.CreateClient();
            using var response = await racer.PutAsJsonAsync($"{Path}/321324111209-01", new { name, households = 2, population = 3, version = 0 });
            return response.StatusCode;
        }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses.Order());
        var read = await client.GetAsync($"{Path}/321324111209-01", HttpStatusCode.OK);
        Assert.Equal(1, read.GetProperty("version").GetInt32());
        Assert.Equal(["Created", "Updated"], (await client.GetAsync($"{Path}/321324111209-01/history", HttpStatusCode.OK))
            .EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Of_overlapping_grids_drawn_at_once_one_is_drawn_and_the_others_refused()
    {
        string[] villages = ["321324117201", "321324117202", "321324117203", "321324117204"];
        await factory.VillagesAsync(villages);

        var statuses = await Task.WhenAll(villages.Select(async (village, i) =>
        {
            using var racer = factory.CreateClient();
            using var response = await racer.PostAsJsonAsync(Path, new { villageCode = village, serial = 1, name = "Racer", boundary = Square(118.80 + i * 0.002, 33.10) });
            return response.StatusCode;
        }));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], statuses.OrderBy(s => (int)s));
        using var client = factory.CreateClient();
        var drawn = await client.GetAsync($"{Path}/geojson?under=321324117", HttpStatusCode.OK);
        Assert.Single(drawn.GetProperty("features").EnumerateArray());
    }

    [Fact]
    public async Task A_grid_is_drawn_only_in_a_village_the_stations_registry_has_and_has_not_closed()
    {
        using var client = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await client.PostAsync(Path, new { villageCode = "321324111210", serial = 1, name = "Unknown" }, HttpStatusCode.BadRequest), "villageCode");
        await factory.DeliverAsync([
            Registered("321324111211", factory.Clock.GetUtcNow()),
            new StationClosed(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse("321324111211"), Guid.NewGuid(), "321324111211", "合并"),
        ]);
        HttpAssertions.AssertNamesInvalid(await client.PostAsync(Path, new { villageCode = "321324111211", serial = 1, name = "Closed" }, HttpStatusCode.BadRequest), "villageCode");

        Assert.Empty((await client.GetAsync($"{Path}?under=321324111210", HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await client.GetAsync($"{Path}?under=321324111211", HttpStatusCode.OK)).EnumerateArray());
    }
}
