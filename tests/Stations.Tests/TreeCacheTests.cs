using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>Tree reads come from the cache, and no read after a change through the API is stale.</summary>
public sealed class TreeCacheTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task Subtree_and_children_are_served_from_the_cache_until_a_change_invalidates_them()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321321");
        var before = await client.GetAsync($"{Path}/321321104/subtree", HttpStatusCode.OK);
        Assert.Single(before.GetProperty("children").EnumerateArray());
        Assert.Single(await client.GetAsync<List<JsonElement>>($"{Path}/321321104/children"));

        // A row written behind the API's back (no new tree version) is not seen: the reads come from the cache.
        await WriteBehindTheApiAsync("321321104202", "Sneaked in");
        Assert.Single((await client.GetAsync($"{Path}/321321104/subtree", HttpStatusCode.OK)).GetProperty("children").EnumerateArray());
        Assert.Single(await client.GetAsync<List<JsonElement>>($"{Path}/321321104/children"));

        // A change anywhere in the county through the API invalidates every cached subtree of it, the county's too.
        await client.PutAsync($"{Path}/321321104201", new { name = "renamed" }, HttpStatusCode.OK);

        var after = await client.GetAsync($"{Path}/321321104/subtree", HttpStatusCode.OK);
        var children = after.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(["321321104201", "321321104202"], children.Select(c => c.GetProperty("code").GetString()));
        Assert.Equal("renamed", children[0].GetProperty("name").GetString());
        Assert.Equal(2, (await client.GetAsync<List<JsonElement>>($"{Path}/321321104/children")).Count);
        var county = await client.GetAsync($"{Path}/321321/subtree", HttpStatusCode.OK);
        Assert.Equal("renamed", county.GetProperty("children")[0].GetProperty("children")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task No_read_after_register_or_close_is_stale()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321322");
        // Warm every level's cache first.
        await client.GetAsync($"{Path}/321322/subtree", HttpStatusCode.OK);
        await client.GetAsync($"{Path}/321322104/subtree", HttpStatusCode.OK);
        await client.GetAsync($"{Path}/321322104201/children", HttpStatusCode.OK);

        await client.RegisterAsync("321322104201-S01", "School");
        var children = await client.GetAsync<List<JsonElement>>($"{Path}/321322104201/children");
        Assert.Equal("321322104201-S01", Assert.Single(children).GetProperty("code").GetString());

        await client.PostAsync($"{Path}/321322104201-S01/close", new { reason = "学校撤并" }, HttpStatusCode.OK);
        var tree = await client.GetAsync($"{Path}/321322/subtree", HttpStatusCode.OK);
        var school = tree.GetProperty("children")[0].GetProperty("children")[0].GetProperty("children")[0];
        Assert.Equal("Closed", school.GetProperty("status").GetString());
        Assert.Equal("Closed", (await client.GetAsync<List<JsonElement>>($"{Path}/321322104201/children"))[0].GetProperty("status").GetString());
    }

    private async Task WriteBehindTheApiAsync(string code, string name)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StationsDbContext>();
        var parentCode = code[..9];
        var parent = db.Stations.Single(s => s.Code == parentCode);
        db.Stations.Add(Station.Register(code, name, StationKind.Village, parent, factory.Clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }
}
