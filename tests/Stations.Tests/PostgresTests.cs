using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Stations.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The stations service on the real PostgreSQL.</summary>
public sealed class PostgresStationsFactory : PostgresServiceFactory<StationsModule>
{
    public PostgresStationsFactory() : base("stations") { }

    /// <summary>On an existing database (not a fixture's constructor: xunit wants one public constructor).</summary>
    internal PostgresStationsFactory(string database) : base("stations", database) { }
}

/// <summary>The model and its queries are portable: the same scenario as on SQLite, on PostgreSQL.</summary>
public sealed class PostgresTests(PostgresStationsFactory factory) : IClassFixture<PostgresStationsFactory>
{
    private const string Path = StationsClient.Path;

    [Fact]
    public async Task The_registry_runs_on_postgres()
    {
        using (var scope = factory.Services.CreateScope())
        {
            Assert.True(scope.ServiceProvider.GetRequiredService<StationsDbContext>().Database.IsNpgsql());
        }
        using var client = factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);
        await client.RegisterTreeAsync("321371");
        await client.RegisterAsync("321371104202", "Community", "大楼社区实践站");
        await client.RegisterAsync("321371104201-S01", "School", "青阳中学实践站");
        await client.PutAsync($"{Path}/321371104201", new { name = "王集村实践站", latitude = 33.47, longitude = 118.21 }, HttpStatusCode.OK);

        // Filters, Chinese search and cursor pages.
        Assert.Single(await client.GetAsync<List<JsonElement>>($"{Path}?under=321371&q=社区&kind=Community&tier=Village&status=Active"));
        using var page = await client.GetAsync($"{Path}?under=321371&limit=2");
        var cursor = page.Headers.GetValues("X-Next-Cursor").Single();
        var rest = await client.GetAsync<List<JsonElement>>($"{Path}?under=321371&limit=200&cursor={cursor}");
        Assert.Equal(3, rest.Count);
        var tree = await client.GetAsync($"{Path}/321371104/subtree", HttpStatusCode.OK);
        Assert.Equal(2, tree.GetProperty("children").GetArrayLength());

        // Staff, six haves with attachments, venues, pairing with dates.
        await client.PostAsync($"{Path}/321371104201/staff", new { name = "甲", role = "FullTime" }, HttpStatusCode.Created);
        Assert.Equal(1, (await client.GetAsync($"{Path}/staffing?under=321371104", HttpStatusCode.OK)).GetProperty("met").GetInt32());
        await client.PutAsync($"{Path}/321371104201/six-haves/Site", new { text = "活动室", attachments = new[] { "a.jpg", "b.jpg" } }, HttpStatusCode.OK);
        await client.PostAsync($"{Path}/321371104201/six-haves/Site/verification", new { verdict = "Passed" }, HttpStatusCode.OK);
        var checklist = await client.GetAsync($"{Path}/321371104201/six-haves", HttpStatusCode.OK);
        Assert.Equal(2, checklist.GetProperty("items")[0].GetProperty("attachments").GetArrayLength());
        Assert.Equal(1, (await client.GetAsync($"{Path}/six-haves?under=321371", HttpStatusCode.OK)).GetProperty("stations")
            .EnumerateArray().Single(s => s.GetProperty("stationCode").GetString() == "321371104201").GetProperty("passedItems").GetInt32());
        await client.PostAsync($"{Path}/321371104201/venues", new { platform = "Culture", name = "农家书屋", latitude = 33.471, longitude = 118.212 }, HttpStatusCode.Created);
        using var geo = await client.GetAsync($"{Path}/geojson?under=321371");
        Assert.Equal(2, JsonDocument.Parse(await geo.Content.ReadAsStringAsync()).RootElement.GetProperty("features").GetArrayLength());
        var pairing = await client.PostAsync($"{Path}/321371104201/pairings", new { partnerUnit = "县林业局", startsOn = "2026-01-01", endsOn = "2026-12-31" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/321371104201/pairings/{pairing.GetProperty("id").GetGuid()}/plan-items", new { date = "2026-03-12", title = "植树" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/321371104201/pairings", new { partnerUnit = "县林业局", startsOn = "2026-06-01", endsOn = "2026-06-30" }, HttpStatusCode.Conflict);

        // Export and import back: nothing changes.
        using var export = await client.GetAsync($"{Path}/export?under=321371");
        using var content = new ByteArrayContent(await export.Content.ReadAsByteArrayAsync());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var import = await client.PostAsync($"{Path}/import", content);
        var result = JsonDocument.Parse(await import.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(5, result.GetProperty("unchanged").GetInt32());

        await client.PostAsync($"{Path}/321371104201-S01/close", new { reason = "撤并" }, HttpStatusCode.OK);
        await client.PostAsync(Path, new { code = "321371104201-S01", name = "again", kind = "School" }, HttpStatusCode.Conflict);
    }
}
