using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>Dates outside the accepted window and text a database cannot store are 400s naming the field.</summary>
public sealed class InputValidationTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Theory]
    [InlineData("0001-01-01", "0001-12-31", "startsOn")]
    [InlineData("9999-01-01", "9999-12-31", "startsOn")]
    [InlineData("2026-01-01", "9999-12-31", "endsOn")]
    [InlineData("1999-06-01", "2000-05-31", "startsOn")]
    public async Task A_pairing_outside_the_accepted_window_is_refused(string startsOn, string endsOn, string field)
    {
        using var client = CityWideClient();
        await client.EnsureTreeAsync("321381");
        var pairings = $"{Path}/321381104201/pairings";

        HttpAssertions.AssertNamesInvalid(await client.PostAsync(pairings, new { partnerUnit = "泗洪县林业局", startsOn, endsOn }, HttpStatusCode.BadRequest), field);
        Assert.Empty((await client.GetAsync(pairings, HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Text_with_a_nul_character_is_refused_in_queries_and_bodies()
    {
        using var client = CityWideClient();
        await client.EnsureTreeAsync("321382");

        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Path}?under=%00", HttpStatusCode.BadRequest), "under");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/321382104201/pairings",
            new { partnerUnit = "泗洪县\u0000林业局", startsOn = "2026-01-01", endsOn = "2026-12-31" }, HttpStatusCode.BadRequest), "partnerUnit");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/321382104201/pairings", new
        {
            partnerUnit = "泗洪县林业局", startsOn = "2026-01-01", endsOn = "2026-12-31",
            planItems = new[] { new { date = "2026-03-12", title = "植树节\u0000" } },
        }, HttpStatusCode.BadRequest), "planItems[0].title");
    }
}
