using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The five platforms' venues, the GeoJSON export, and pairing (结对共建).</summary>
public sealed class PlatformsAndPairingsApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task Venues_are_listed_per_platform()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321351");
        var venues = $"{Path}/321351104201/venues";

        await client.PostAsync(venues, new { platform = "Culture", name = "农家书屋", address = "村部一楼", capacity = 40, openingHours = "周二至周日 8:30-17:30", latitude = 33.47, longitude = 118.21 }, HttpStatusCode.Created);
        await client.PostAsync(venues, new { platform = "HealthAndSport", name = "健身广场" }, HttpStatusCode.Created);
        await client.PostAsync(venues, new { platform = "Culture", name = "农家书屋" }, HttpStatusCode.Conflict);

        var platforms = await client.GetAsync($"{Path}/321351104201/platforms", HttpStatusCode.OK);
        Assert.Equal(5, platforms.GetArrayLength());
        var culture = platforms.EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "Culture");
        var library = Assert.Single(culture.GetProperty("venues").EnumerateArray());
        Assert.Equal(40, library.GetProperty("capacity").GetInt32());
        Assert.Equal("周二至周日 8:30-17:30", library.GetProperty("openingHours").GetString());

        await client.DeleteAsync($"{venues}/{library.GetProperty("id").GetGuid()}", HttpStatusCode.NoContent);
        var after = await client.GetAsync($"{Path}/321351104201/platforms", HttpStatusCode.OK);
        Assert.Empty(after.EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "Culture").GetProperty("venues").EnumerateArray());
    }

    [Theory]
    [InlineData("Culture", "x", 0, 33.4, 118.2, "capacity")]
    [InlineData("Culture", "x", 10, 95.0, 118.2, "latitude")]
    [InlineData("Culture", "x", 10, 33.4, 200.0, "longitude")]
    [InlineData("Culture", "", 10, 33.4, 118.2, "name")]
    [InlineData("Cinema", "x", 10, 33.4, 118.2, "platform")]
    public async Task A_bad_venue_is_400_naming_the_field(string platform, string name, int capacity, double latitude, double longitude, string field)
    {
        using var client = CityWideClient();
        await client.EnsureTreeAsync("321352");

        var problem = await client.PostAsync($"{Path}/321352104201/venues", new { platform, name, capacity, latitude, longitude }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
    }

    [Fact]
    public async Task Stations_and_venues_export_as_a_GeoJSON_feature_collection()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321353");
        await client.PutAsync($"{Path}/321353104201", new { name = "王集村实践站", latitude = 33.47, longitude = 118.21 }, HttpStatusCode.OK);
        await client.PostAsync($"{Path}/321353104201/venues", new { platform = "TheoryLectures", name = "党员活动室", latitude = 33.471, longitude = 118.212 }, HttpStatusCode.Created);

        using var response = await client.GetAsync($"{Path}/geojson?under=321353");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", body.GetProperty("type").GetString());
        var features = body.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(2, features.Count);
        var station = features[0];
        Assert.Equal("Point", station.GetProperty("geometry").GetProperty("type").GetString());
        // RFC 7946 positions are [longitude, latitude].
        Assert.Equal(118.21, station.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble());
        Assert.Equal("station", station.GetProperty("properties").GetProperty("type").GetString());
        Assert.Equal("TheoryLectures", features[1].GetProperty("properties").GetProperty("platform").GetString());

        // A caller outside the prefix gets an empty collection.
        using var outsider = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var empty = await outsider.GetAsync($"{Path}/geojson?under=321353");
        Assert.Empty(JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("features").EnumerateArray());
    }

    [Fact]
    public async Task A_county_unit_pairs_with_a_station_for_a_period_with_a_joint_plan()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321354");
        var pairings = $"{Path}/321354104201/pairings";

        var pairing = await client.PostAsync(pairings, new
        {
            partnerUnit = "泗洪县林业局",
            startsOn = "2026-01-01",
            endsOn = "2026-12-31",
            planItems = new[] { new { date = "2026-03-12", title = "植树节义务植树" } },
        }, HttpStatusCode.Created);
        var id = pairing.GetProperty("id").GetGuid();
        await client.PostAsync($"{pairings}/{id}/plan-items", new { date = "2026-09-09", title = "重阳节敬老慰问", content = "走访高龄老人" }, HttpStatusCode.Created);
        var outside = await client.PostAsync($"{pairings}/{id}/plan-items", new { date = "2027-02-01", title = "春节走访" }, HttpStatusCode.BadRequest);
        Assert.True(outside.HasError("date"), outside.ToString());

        var list = await client.GetAsync(pairings, HttpStatusCode.OK);
        var stored = Assert.Single(list.EnumerateArray());
        Assert.Equal("泗洪县林业局", stored.GetProperty("partnerUnit").GetString());
        Assert.Equal(["2026-03-12", "2026-09-09"], stored.GetProperty("planItems").EnumerateArray().Select(i => i.GetProperty("date").GetString()));

        // The same unit again for an overlapping period is a duplicate; the next year is not.
        await client.PostAsync(pairings, new { partnerUnit = "泗洪县林业局", startsOn = "2026-06-01", endsOn = "2027-05-31" }, HttpStatusCode.Conflict);
        await client.PostAsync(pairings, new { partnerUnit = "泗洪县林业局", startsOn = "2027-01-01", endsOn = "2027-12-31" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_bad_pairing_is_400_naming_the_field()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321355");

        var backwards = await client.PostAsync($"{Path}/321355104201/pairings", new { partnerUnit = "县人社局", startsOn = "2026-12-31", endsOn = "2026-01-01" }, HttpStatusCode.BadRequest);
        var institute = await client.PostAsync($"{Path}/321355104/pairings", new { partnerUnit = "县人社局", startsOn = "2026-01-01", endsOn = "2026-12-31" }, HttpStatusCode.BadRequest);
        var badItem = await client.PostAsync($"{Path}/321355104201/pairings", new
        {
            partnerUnit = "县人社局", startsOn = "2026-01-01", endsOn = "2026-12-31",
            planItems = new[] { new { date = "2026-02-01", title = "ok" }, new { date = "2026-02-02", title = "" } },
        }, HttpStatusCode.BadRequest);

        Assert.True(backwards.HasError("endsOn"), backwards.ToString());
        Assert.True(institute.HasError("code"), institute.ToString());
        Assert.True(badItem.HasError("planItems[1].title"), badItem.ToString());
        Assert.Empty((await client.GetAsync($"{Path}/321355104201/pairings", HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Venues_and_pairings_are_reached_only_within_the_callers_division()
    {
        using var county = factory.CreateClient();
        await county.RegisterTreeAsync("321324");
        await county.RegisterAsync("321324105", "Institute");
        await county.RegisterAsync("321324105201", "Village");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await township.PostAsync($"{Path}/321324105201/venues", new { platform = "Culture", name = "x" }, HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/321324105201/platforms", HttpStatusCode.NotFound);
        await township.PostAsync($"{Path}/321324105201/pairings", new { partnerUnit = "x", startsOn = "2026-01-01", endsOn = "2026-12-31" }, HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/321324105201/pairings", HttpStatusCode.NotFound);
        await township.PostAsync($"{Path}/321324104201/venues", new { platform = "Culture", name = "农家书屋" }, HttpStatusCode.Created);
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, "321324104201");
        await resident.PostAsync($"{Path}/321324104201/pairings", new { partnerUnit = "x", startsOn = "2026-01-01", endsOn = "2026-12-31" }, HttpStatusCode.Forbidden);
        await resident.GetAsync($"{Path}/321324104201/platforms", HttpStatusCode.OK);
    }
}
