using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.TestSupport;
using static PracticeMesh.Grid.Tests.GridVillageFeed;

namespace PracticeMesh.Grid.Tests;

/// <summary>A grid's life: described, redrawn, split, merged and retired, each change kept in its history and announced.</summary>
public sealed class GridsLifecycleTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/grids";

    [Fact]
    public async Task A_put_changes_the_grid_bumps_its_version_and_is_kept_in_history()
    {
        await factory.VillagesAsync("321324110201");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324110201", serial = 1, name = "一组", households = 100, population = 300 }, HttpStatusCode.Created);

        var updated = await client.PutAsync($"{Path}/321324110201-01",
            new { name = "一组（东）", households = 110, population = 320, boundary = Square(118.30, 33.30), version = 0 }, HttpStatusCode.OK);

        Assert.Equal(("一组（东）", 110, 320, 1), (updated.GetProperty("name").GetString(), updated.GetProperty("households").GetInt32(),
            updated.GetProperty("population").GetInt32(), updated.GetProperty("version").GetInt32()));
        Assert.Equal("Polygon", updated.GetProperty("boundary").GetProperty("type").GetString());
        var history = await client.GetAsync($"{Path}/321324110201-01/history", HttpStatusCode.OK);
        Assert.Equal(["Created", "Updated"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal((100, 110), (history[0].GetProperty("households").GetInt32(), history[1].GetProperty("households").GetInt32()));
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("boundary").ValueKind);
        Assert.Equal(JsonValueKind.Object, history[1].GetProperty("boundary").ValueKind);
        // A PUT naming an old version lost a race it did not see: refused, nothing changed.
        await client.PutAsync($"{Path}/321324110201-01", new { name = "Stale", households = 1, population = 1, version = 0 }, HttpStatusCode.Conflict);
        Assert.Equal("一组（东）", (await client.GetAsync($"{Path}/321324110201-01", HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_split_retires_the_grid_and_its_parts_name_it_as_predecessor()
    {
        await factory.VillagesAsync("321324110202");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324110202", serial = 1, name = "大网格", households = 200, population = 600,
            boundary = Polygon((118.40, 33.30), (118.42, 33.30), (118.42, 33.31), (118.40, 33.31), (118.40, 33.30)) }, HttpStatusCode.Created);

        var parts = await client.PostAsync($"{Path}/321324110202-01/split", new
        {
            reason = "户数过多，一分为二",
            parts = new object[]
            {
                new { serial = 2, name = "西网格", households = 100, population = 300, boundary = Square(118.40, 33.30) },
                new { serial = 3, name = "东网格", households = 100, population = 300, boundary = Square(118.41, 33.30) },
            },
        }, HttpStatusCode.OK);

        Assert.Equal(["321324110202-02", "321324110202-03"], parts.EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.All(parts.EnumerateArray(), p => Assert.Equal(["321324110202-01"], p.GetProperty("predecessorCodes").EnumerateArray().Select(c => c.GetString())));
        var old = await client.GetAsync($"{Path}/321324110202-01", HttpStatusCode.OK);
        Assert.False(old.GetProperty("active").GetBoolean());
        Assert.Equal("户数过多，一分为二", old.GetProperty("retiredReason").GetString());
        Assert.Equal(["321324110202-02", "321324110202-03"], old.GetProperty("successorCodes").EnumerateArray().Select(c => c.GetString()));
        var history = await client.GetAsync($"{Path}/321324110202-01/history", HttpStatusCode.OK);
        Assert.Equal(["Created", "Split"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        var retired = await factory.PublishedAsync<GridRetired>(e => e.GridCode == "321324110202-01");
        Assert.Equal(["321324110202-02", "321324110202-03"], retired.SuccessorCodes);
        var created = await factory.PublishedAsync<GridCreated>(e => e.GridCode == "321324110202-03");
        Assert.Equal(["321324110202-01"], created.PredecessorCodes);
        Assert.Equal((true, 100), (created.HasBoundary, created.Households));
        // Locating now finds the parts, never the retired grid.
        Assert.Equal("321324110202-03", (await client.GetAsync("/api/v1/grid/locate?lat=33.305&lon=118.415", HttpStatusCode.OK)).GetProperty("gridCode").GetString());
    }

    [Fact]
    public async Task A_merge_makes_one_grid_of_several_with_their_sums_and_the_union_of_their_boundaries()
    {
        await factory.VillagesAsync("321324110203");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324110203", serial = 1, name = "A", households = 40, population = 120, boundary = Square(118.50, 33.30) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324110203", serial = 2, name = "B", households = 50, population = 130, boundary = Square(118.51, 33.30) }, HttpStatusCode.Created);

        var merged = await client.PostAsync($"{Path}/merge", new
        {
            codes = new[] { "321324110203-01", "321324110203-02" }, serial = 3, name = "AB", reason = "人口外流，合并管理",
        }, HttpStatusCode.Created);

        Assert.Equal(("321324110203-03", 90, 250), (merged.GetProperty("code").GetString(), merged.GetProperty("households").GetInt32(), merged.GetProperty("population").GetInt32()));
        Assert.Equal(["321324110203-01", "321324110203-02"], merged.GetProperty("predecessorCodes").EnumerateArray().Select(c => c.GetString()));
        foreach (var code in new[] { "321324110203-01", "321324110203-02" })
        {
            var source = await client.GetAsync($"{Path}/{code}", HttpStatusCode.OK);
            Assert.False(source.GetProperty("active").GetBoolean());
            Assert.Equal(["321324110203-03"], source.GetProperty("successorCodes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("Merged", (await client.GetAsync($"{Path}/{code}/history", HttpStatusCode.OK))[1].GetProperty("kind").GetString());
        }
        // The union covers both old squares: a point in each is now the merged grid's.
        Assert.Equal("321324110203-03", (await client.GetAsync("/api/v1/grid/locate?lat=33.305&lon=118.505", HttpStatusCode.OK)).GetProperty("gridCode").GetString());
        Assert.Equal("321324110203-03", (await client.GetAsync("/api/v1/grid/locate?lat=33.305&lon=118.515", HttpStatusCode.OK)).GetProperty("gridCode").GetString());
    }

    [Fact]
    public async Task Grids_apart_do_not_merge_without_a_boundary_and_grids_of_two_villages_never_do()
    {
        await factory.VillagesAsync("321324110204", "321324110205");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324110204", serial = 1, name = "A", boundary = Square(118.60, 33.30) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324110204", serial = 2, name = "B", boundary = Square(118.63, 33.30) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324110205", serial = 1, name = "C" }, HttpStatusCode.Created);

        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/merge",
            new { codes = new[] { "321324110204-01", "321324110204-02" }, serial = 3, name = "AB", reason = "合并" }, HttpStatusCode.BadRequest), "boundary");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/merge",
            new { codes = new[] { "321324110204-01", "321324110205-01" }, serial = 3, name = "AC", reason = "合并" }, HttpStatusCode.BadRequest), "codes");

        foreach (var village in new[] { "321324110204", "321324110205" })
        {
            var grids = await client.GetAsync($"{Path}?under={village}", HttpStatusCode.OK);
            Assert.All(grids.EnumerateArray(), g => Assert.True(g.GetProperty("active").GetBoolean()));
            Assert.Equal(village == "321324110204" ? 2 : 1, grids.GetArrayLength());
        }
    }

    [Fact]
    public async Task A_retired_grid_keeps_its_code_changes_no_more_and_takes_no_new_cases()
    {
        await factory.VillagesAsync("321324110206");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324110206", serial = 1, name = "A", boundary = Square(118.70, 33.30) }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324110206", parentCode = "321324110206-01", serial = 1, name = "A1" }, HttpStatusCode.Created);

        // Its level-3 grid would lose its parent: retired first.
        await client.PostAsync($"{Path}/321324110206-01/retire", new { reason = "村庄拆迁" }, HttpStatusCode.Conflict);
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/321324110206-01-1/retire", new { reason = " " }, HttpStatusCode.BadRequest), "reason");
        await client.PostAsync($"{Path}/321324110206-01-1/retire", new { reason = "村庄拆迁" }, HttpStatusCode.OK);
        var retired = await client.PostAsync($"{Path}/321324110206-01/retire", new { reason = "村庄拆迁" }, HttpStatusCode.OK);

        Assert.Equal(("321324110206-01", false), (retired.GetProperty("code").GetString(), retired.GetProperty("active").GetBoolean()));
        await client.PostAsync($"{Path}/321324110206-01/retire", new { reason = "again" }, HttpStatusCode.Conflict);
        await client.PutAsync($"{Path}/321324110206-01", new { name = "B", households = 1, population = 1 }, HttpStatusCode.Conflict);
        // Its code is never given to another grid, and a child is not drawn under it.
        await client.PostAsync(Path, new { villageCode = "321324110206", serial = 1, name = "Again" }, HttpStatusCode.Conflict);
        HttpAssertions.AssertNamesInvalid(await client.PostAsync(Path,
            new { villageCode = "321324110206", parentCode = "321324110206-01", serial = 2, name = "A2" }, HttpStatusCode.BadRequest), "parentCode");
        await client.GetAsync("/api/v1/grid/locate?lat=33.305&lon=118.705", HttpStatusCode.NotFound);
        Assert.Equal("村庄拆迁", (await factory.PublishedAsync<GridRetired>(e => e.GridCode == "321324110206-01")).Reason);

        // A case naming the retired grid is refused (the one way cases come in checks it).
        using var scope = factory.Services.CreateScope();
        var intake = scope.ServiceProvider.GetRequiredService<CaseIntake>();
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => intake.ReportAsync(
            new NewCase("sanitation", "垃圾堆积", null, null, null, "321324110206-01", null, null),
            new CaseReporter(CaseSource.Staff, "admin", "Admin", "county_admin", null), "321324", CancellationToken.None));
        Assert.Equal(["gridCode"], refused.Errors.Keys);
    }
}
