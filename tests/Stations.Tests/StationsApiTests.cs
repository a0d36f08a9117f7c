using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Stations.Tests;

/// <summary>
/// The registry over HTTP. The fixture is shared by the class, so each test works in its own county
/// (a different 6-digit code) and never sees another test's sites.
/// </summary>
public sealed class StationsApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = "/api/v1/stations";

    /// <summary>Each test works in a county of its own, so the caller reaches the whole city (a partner scope of 3213).</summary>
    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task Registers_a_county_institute_and_station_and_reads_them_back()
    {
        using var client = CityWideClient();

        var county = await client.PostAsync(Path, new { code = "321301", name = "宿城区实践中心", kind = "CountyCentre" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { code = "321301104", name = "实践所", kind = "Institute" }, HttpStatusCode.Created);
        var station = await client.PostAsync(Path, new { code = "321301104201", name = "实践站", kind = "Village" }, HttpStatusCode.Created);

        Assert.Equal("CountyCentre", county.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, county.GetProperty("parentCode").ValueKind);
        Assert.Equal("321301104", station.GetProperty("parentCode").GetString());
        Assert.Equal("Active", station.GetProperty("status").GetString());

        var read = await client.GetAsync($"{Path}/321301104201", HttpStatusCode.OK);
        Assert.Equal("实践站", read.GetProperty("name").GetString());
        Assert.Equal("Village", read.GetProperty("kind").GetString());
        Assert.Equal(station.GetProperty("id").GetGuid(), read.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Registering_publishes_StationRegistered()
    {
        using var client = CityWideClient();

        var county = await client.PostAsync(Path, new { code = "321302", name = "Centre", kind = "CountyCentre" }, HttpStatusCode.Created);

        var published = await factory.PublishedAsync<StationRegistered>(m => m.StationCode == "321302");
        Assert.Equal(county.GetProperty("id").GetGuid(), published.StationId);
        Assert.Equal(StationKind.CountyCentre, published.Kind);
        Assert.Equal("Centre", published.Name);
        Assert.Null(published.ParentStationCode);
    }

    [Fact]
    public async Task Lists_children_and_a_whole_subtree_by_prefix()
    {
        using var client = CityWideClient();
        await RegisterTreeAsync(client, "321303");
        await client.PostAsync(Path, new { code = "321303104202", name = "Second station", kind = "Community" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { code = "321303105", name = "Second institute", kind = "Institute" }, HttpStatusCode.Created);

        var children = await client.GetAsync<List<StationDto>>($"{Path}/321303104/children");
        var subtree = await client.GetAsync<List<StationDto>>($"{Path}?under=321303104");
        var county = await client.GetAsync<List<StationDto>>($"{Path}?under=321303");

        Assert.Equal(["321303104201", "321303104202"], children.Select(s => s.Code));
        Assert.Equal(["321303104", "321303104201", "321303104202"], subtree.Select(s => s.Code));
        Assert.Equal(5, county.Count);
    }

    [Fact]
    public async Task A_duplicate_code_is_409_and_leaves_the_first_registration_alone()
    {
        using var client = CityWideClient();
        await client.PostAsync(Path, new { code = "321304", name = "First", kind = "CountyCentre" }, HttpStatusCode.Created);

        var problem = await client.PostAsync(Path, new { code = "321304", name = "Second", kind = "CountyCentre" }, HttpStatusCode.Conflict);

        Assert.Contains("321304", problem.GetProperty("detail").GetString());
        var read = await client.GetAsync($"{Path}/321304", HttpStatusCode.OK);
        Assert.Equal("First", read.GetProperty("name").GetString());
        Assert.Single(await client.GetAsync<List<StationDto>>($"{Path}?under=321304"));
    }

    [Theory]
    [InlineData("32130", "code")]
    [InlineData("3213x5", "code")]
    [InlineData("320000", "code")]
    [InlineData(null, "code")]
    public async Task A_malformed_code_is_400_naming_the_field(string? code, string field)
    {
        using var client = CityWideClient();

        var problem = await client.PostAsync(Path, new { code, name = "Site", kind = "CountyCentre" }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_kind_that_does_not_fit_the_tier_is_400_and_nothing_is_registered()
    {
        using var client = CityWideClient();

        var problem = await client.PostAsync(Path, new { code = "321305", name = "Site", kind = "Institute" }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _), problem.ToString());
        await client.GetAsync($"{Path}/321305", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("\"Castle\"")]
    [InlineData("99")]
    public async Task An_unknown_kind_is_400_naming_kind(string kindJson)
    {
        using var client = CityWideClient();
        var county = kindJson == "99" ? "321306" : "321308";
        await RegisterTreeAsync(client, county);
        // A village-tier code, so only the kind itself can be wrong.
        using var content = new StringContent($$"""{"code":"{{county}}104202","name":"Site","kind":{{kindJson}}}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Path, content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _), problem.ToString());
        await client.GetAsync($"{Path}/{county}104202", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_station_whose_institute_is_not_registered_is_400_on_parentCode()
    {
        using var client = CityWideClient();
        await client.PostAsync(Path, new { code = "321307", name = "Centre", kind = "CountyCentre" }, HttpStatusCode.Created);

        var problem = await client.PostAsync(Path, new { code = "321307104201", name = "Orphan", kind = "Village" }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("parentCode", out _), problem.ToString());
        Assert.Single(await client.GetAsync<List<StationDto>>($"{Path}?under=321307"));
    }

    [Fact]
    public async Task Reading_an_unknown_or_malformed_code_is_404_or_400()
    {
        using var client = CityWideClient();

        await client.GetAsync($"{Path}/321399", HttpStatusCode.NotFound);
        await client.GetAsync($"{Path}/321399/children", HttpStatusCode.NotFound);
        var problem = await client.GetAsync($"{Path}/not-a-code", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _), problem.ToString());
    }

    [Theory]
    [InlineData("32x")]
    [InlineData("3213241042011")]
    public async Task A_malformed_prefix_is_400_naming_under(string under)
    {
        using var client = CityWideClient();

        var problem = await client.GetAsync($"{Path}?under={under}", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("under", out _), problem.ToString());
    }

    private static async Task RegisterTreeAsync(HttpClient client, string county)
    {
        await client.PostAsync(Path, new { code = county, name = "Centre", kind = "CountyCentre" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { code = county + "104", name = "Institute", kind = "Institute" }, HttpStatusCode.Created);
        await client.PostAsync(Path, new { code = county + "104201", name = "Station", kind = "Village" }, HttpStatusCode.Created);
    }

    private sealed record StationDto(Guid Id, string Code, string Name, StationKind Kind, string? ParentCode);
}
