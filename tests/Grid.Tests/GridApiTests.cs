using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Grids over HTTP; each test works in its own village so the shared database does not matter.</summary>
public sealed class GridApiTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/grids";

    [Fact]
    public async Task Creates_level_2_and_level_3_grids_and_reads_them_back()
    {
        await factory.VillagesAsync("321324104201");
        using var client = factory.CreateClient();

        var level2 = await client.PostAsync(Path, new { villageCode = "321324104201", serial = 3, name = "第三网格", households = 120, population = 410 }, HttpStatusCode.Created);
        var level3 = await client.PostAsync(Path, new { villageCode = "321324104201", parentCode = "321324104201-03", serial = 2, name = "第三网格二组" }, HttpStatusCode.Created);

        Assert.Equal("321324104201-03", level2.GetProperty("code").GetString());
        Assert.Equal(2, level2.GetProperty("level").GetInt32());
        Assert.Equal("321324104201-03-2", level3.GetProperty("code").GetString());
        Assert.Equal(3, level3.GetProperty("level").GetInt32());
        var read = await client.GetAsync($"{Path}/321324104201-03-2", HttpStatusCode.OK);
        Assert.Equal("321324104201-03", read.GetProperty("parentCode").GetString());
        Assert.Equal("321324104201", read.GetProperty("villageCode").GetString());
        var readLevel2 = await client.GetAsync($"{Path}/321324104201-03", HttpStatusCode.OK);
        Assert.Equal((120, 410, true), (readLevel2.GetProperty("households").GetInt32(), readLevel2.GetProperty("population").GetInt32(), readLevel2.GetProperty("active").GetBoolean()));
        Assert.False(readLevel2.TryGetProperty("cadreName", out _), "people come from assignments, not a name on the grid");
    }

    [Fact]
    public async Task Lists_the_grids_under_a_prefix()
    {
        await factory.VillagesAsync("321324105201", "321324105202");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324105201", serial = 1, name = "A" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324105201", parentCode = "321324105201-01", serial = 1, name = "A1" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324105202", serial = 1, name = "B" }, HttpStatusCode.Created);

        var village = await client.GetAsync<List<GridDto>>($"{Path}?under=321324105201");
        var township = await client.GetAsync<List<GridDto>>($"{Path}?under=321324105");

        Assert.Equal(["321324105201-01", "321324105201-01-1"], village.Select(g => g.Code));
        Assert.Equal(3, township.Count);
    }

    [Fact]
    public async Task A_duplicate_grid_is_409_and_keeps_the_first()
    {
        await factory.VillagesAsync("321324106201");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324106201", serial = 1, name = "First", households = 10 }, HttpStatusCode.Created);

        await client.PostAsync(Path, new { villageCode = "321324106201", serial = 1, name = "Second", households = 20 }, HttpStatusCode.Conflict);

        var read = await client.GetAsync($"{Path}/321324106201-01", HttpStatusCode.OK);
        Assert.Equal(("First", 10), (read.GetProperty("name").GetString(), read.GetProperty("households").GetInt32()));
    }

    [Theory]
    [InlineData("321324107", 1, "villageCode")]
    [InlineData("3213241072x1", 1, "villageCode")]
    [InlineData("321324107201", 0, "serial")]
    [InlineData("321324107201", 100, "serial")]
    public async Task A_bad_grid_is_400_naming_the_field_and_nothing_is_created(string villageCode, int serial, string field)
    {
        await factory.VillagesAsync("321324107201");
        using var client = factory.CreateClient();

        var problem = await client.PostAsync(Path, new { villageCode, serial, name = "Grid" }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await client.GetAsync<List<GridDto>>($"{Path}?under=321324107"));
    }

    [Fact]
    public async Task A_level_3_grid_cannot_be_divided_and_a_parent_must_be_in_the_village()
    {
        await factory.VillagesAsync("321324108201", "321324108202");
        using var client = factory.CreateClient();
        await client.PostAsync(Path, new { villageCode = "321324108201", serial = 1, name = "L2" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { villageCode = "321324108201", parentCode = "321324108201-01", serial = 1, name = "L3" }, HttpStatusCode.Created);

        var tooDeep = await client.PostAsync(Path, new { villageCode = "321324108201", parentCode = "321324108201-01-1", serial = 1, name = "L4" }, HttpStatusCode.BadRequest);
        var elsewhere = await client.PostAsync(Path, new { villageCode = "321324108202", parentCode = "321324108201-01", serial = 2, name = "Other" }, HttpStatusCode.BadRequest);

        Assert.True(tooDeep.GetProperty("errors").TryGetProperty("parentCode", out _), tooDeep.ToString());
        Assert.True(elsewhere.GetProperty("errors").TryGetProperty("parentCode", out _), elsewhere.ToString());
        Assert.Equal(2, (await client.GetAsync<List<GridDto>>($"{Path}?under=321324108")).Count);
    }

    [Fact]
    public async Task An_unknown_grid_or_parent_is_404()
    {
        await factory.VillagesAsync("321324109201");
        using var client = factory.CreateClient();

        await client.GetAsync($"{Path}/321324109201-01", HttpStatusCode.NotFound);
        await client.PostAsync(Path, new { villageCode = "321324109201", parentCode = "321324109201-09", serial = 1, name = "Orphan" }, HttpStatusCode.NotFound);

        Assert.Empty(await client.GetAsync<List<GridDto>>($"{Path}?under=321324109"));
    }

    [Fact]
    public async Task A_malformed_prefix_is_400_naming_under()
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync($"{Path}?under=3213-24", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("under", out _), problem.ToString());
    }

    private sealed record GridDto(Guid Id, string Code, string VillageCode, string Name, int Level, string? ParentCode, int Households, int Population, bool Active);
}
