using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;


namespace PracticeMesh.Stations.Tests;

/// <summary>The tree: unit stations, update, close, path, subtree, search, filters and pages. Each test has a county of its own.</summary>
public sealed class TreeApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task A_unit_station_is_keyed_by_place_kind_and_serial_and_sits_under_its_place()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321311");

        var school = await client.RegisterAsync("321311104201-S01", "School", "青阳中学实践站");
        var agency = await client.RegisterAsync("321311-A01", "Agency", "县林业局实践站");

        Assert.Equal("321311104201", school.GetProperty("divisionCode").GetString());
        Assert.Equal("321311104201", school.GetProperty("parentCode").GetString());
        Assert.Equal("Village", school.GetProperty("tier").GetString());
        Assert.Equal("321311", agency.GetProperty("parentCode").GetString());
        var read = await client.GetAsync($"{Path}/321311104201-S01", HttpStatusCode.OK);
        Assert.Equal("青阳中学实践站", read.GetProperty("name").GetString());
        var children = await client.GetAsync<List<StationDto>>($"{Path}/321311104201/children");
        Assert.Equal(["321311104201-S01"], children.Select(c => c.Code));
        var published = await factory.PublishedAsync<StationRegistered>(e => e.StationCode == "321311104201-S01");
        Assert.Equal("321311104201", published.DivisionCode.Value);
        Assert.Equal(StationKind.School, published.Kind);
        // The same code again is a duplicate.
        await client.PostAsync(Path, new { code = "321311104201-S01", name = "again", kind = "School" }, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("321312104201-S01", "Enterprise", "kind")]
    [InlineData("321312104201-X01", "School", "code")]
    [InlineData("321312104201-S00", "School", "code")]
    [InlineData("321312104201", "School", "kind")]
    public async Task A_bad_unit_code_is_400_naming_the_field(string code, string kind, string field)
    {
        using var client = CityWideClient();

        var problem = await client.PostAsync(Path, new { code, name = "Unit", kind }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
    }

    [Fact]
    public async Task A_parent_that_is_not_the_codes_ancestor_is_400_on_parentCode()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321313");
        await client.RegisterAsync("321313105", "Institute");

        var wrong = await client.PostAsync(Path, new { code = "321313104202", name = "x", kind = "Village", parentCode = "321313105" }, HttpStatusCode.BadRequest);
        var right = await client.PostAsync(Path, new { code = "321313104202", name = "x", kind = "Village", parentCode = "321313104" }, HttpStatusCode.Created);

        Assert.True(wrong.HasError("parentCode"), wrong.ToString());
        Assert.Equal("321313104", right.GetProperty("parentCode").GetString());
        // A unit station under a place whose site is missing.
        var orphan = await client.PostAsync(Path, new { code = "321313104209-S01", name = "x", kind = "School" }, HttpStatusCode.BadRequest);
        Assert.True(orphan.HasError("parentCode"), orphan.ToString());
    }

    [Fact]
    public async Task Updating_changes_name_address_and_location_and_publishes_StationUpdated()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321314");

        var updated = await client.PutAsync($"{Path}/321314104201",
            new { name = "王集村新时代文明实践站", address = "王集村村部", latitude = 33.47, longitude = 118.21 }, HttpStatusCode.OK);

        Assert.Equal("王集村新时代文明实践站", updated.GetProperty("name").GetString());
        Assert.Equal(33.47, updated.GetProperty("latitude").GetDouble());
        var e = await factory.PublishedAsync<StationUpdated>(m => m.StationCode == "321314104201");
        Assert.Equal("王集村新时代文明实践站", e.Name);
        Assert.Equal(118.21, e.Longitude);
    }

    [Theory]
    [InlineData("", null, null, "name")]
    [InlineData("x", 118.2, 33.4, "latitude")]
    [InlineData("x", 33.4, null, "longitude")]
    public async Task A_bad_update_is_400_naming_the_field(string name, double? latitude, double? longitude, string field)
    {
        using var client = CityWideClient();
        const string county = "321315";
        await client.EnsureTreeAsync(county);

        // Latitude and longitude swapped lands outside China.
        var problem = await client.PutAsync($"{Path}/{county}104201", new { name, latitude, longitude }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
        Assert.Equal($"site {county}104201", (await client.GetAsync($"{Path}/{county}104201", HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Closing_keeps_the_site_with_its_reason_and_a_site_with_open_children_cannot_close()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321316");

        var busy = await client.PostAsync($"{Path}/321316104/close", new { reason = "撤并" }, HttpStatusCode.Conflict);
        Assert.Contains("321316104", busy.GetProperty("detail").GetString());
        var missingReason = await client.PostAsync($"{Path}/321316104201/close", new { reason = " " }, HttpStatusCode.BadRequest);
        Assert.True(missingReason.HasError("reason"));

        var closed = await client.PostAsync($"{Path}/321316104201/close", new { reason = "村庄撤并" }, HttpStatusCode.OK);
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal("村庄撤并", closed.GetProperty("closedReason").GetString());
        await client.PostAsync($"{Path}/321316104/close", new { reason = "撤并" }, HttpStatusCode.OK);

        // Still there, never deleted; closed sites take no changes and no children.
        Assert.Equal("Closed", (await client.GetAsync($"{Path}/321316104201", HttpStatusCode.OK)).GetProperty("status").GetString());
        await client.PostAsync($"{Path}/321316104201/close", new { reason = "again" }, HttpStatusCode.Conflict);
        await client.PutAsync($"{Path}/321316104201", new { name = "renamed" }, HttpStatusCode.Conflict);
        await client.PostAsync(Path, new { code = "321316104202", name = "new", kind = "Village" }, HttpStatusCode.Conflict);
        var e = await factory.PublishedAsync<StationClosed>(m => m.StationCode == "321316104201");
        Assert.Equal("村庄撤并", e.Reason);
    }

    [Fact]
    public async Task The_path_runs_from_the_county_centre_down_to_the_site()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321317");
        await client.RegisterAsync("321317104201-M01", "Mobile");

        var path = await client.GetAsync<List<StationDto>>($"{Path}/321317104201-M01/path");

        Assert.Equal(["321317", "321317104", "321317104201", "321317104201-M01"], path.Select(s => s.Code));
    }

    [Fact]
    public async Task The_subtree_is_one_nested_tree()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321318");
        await client.RegisterAsync("321318104202", "Community");
        await client.RegisterAsync("321318104201-S01", "School");
        await client.RegisterAsync("321318105", "Institute");

        var tree = await client.GetAsync($"{Path}/321318104/subtree", HttpStatusCode.OK);

        Assert.Equal("321318104", tree.GetProperty("code").GetString());
        var children = tree.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(["321318104201", "321318104202"], children.Select(c => c.GetProperty("code").GetString()));
        Assert.Equal("321318104201-S01", children[0].GetProperty("children")[0].GetProperty("code").GetString());
        var county = await client.GetAsync($"{Path}/321318/subtree", HttpStatusCode.OK);
        Assert.Equal(2, county.GetProperty("children").GetArrayLength());
    }

    [Fact]
    public async Task Lists_filter_by_tier_kind_status_and_chinese_name()
    {
        using var client = CityWideClient();
        await client.RegisterAsync("321319", "CountyCentre", "泗洪县新时代文明实践中心");
        await client.RegisterAsync("321319104", "Institute", "青阳镇新时代文明实践所");
        await client.RegisterAsync("321319104201", "Community", "大楼社区新时代文明实践站");
        await client.RegisterAsync("321319104202", "Village", "王集村新时代文明实践站");
        await client.RegisterAsync("321319104201-S01", "School", "青阳中学实践站");
        await client.PostAsync($"{Path}/321319104202/close", new { reason = "撤并" }, HttpStatusCode.OK);

        Assert.Equal(["321319104201", "321319104201-S01", "321319104202"], Codes(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&tier=Village")));
        Assert.Equal(["321319104201"], Codes(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&kind=Community")));
        Assert.Equal(["321319104202"], Codes(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&status=closed")));
        Assert.Equal(["321319104201"], Codes(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&q=社区")));
        Assert.Equal(["321319104", "321319104201-S01"], Codes(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&q=青阳")));
        Assert.Empty(await client.GetAsync<List<StationDto>>($"{Path}?under=321319&q=双沟"));
    }

    [Theory]
    [InlineData("tier=Province", "tier")]
    [InlineData("kind=Castle", "kind")]
    [InlineData("kind=3", "kind")]
    [InlineData("status=Gone", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task A_bad_filter_is_400_naming_it(string query, string field)
    {
        using var client = CityWideClient();

        var problem = await client.GetAsync($"{Path}?under=3213&{query}", HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
    }

    [Fact]
    public async Task Pages_follow_an_opaque_cursor_without_gaps_or_repeats()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321320");
        foreach (var village in new[] { "202", "203", "204", "205" })
        {
            await client.RegisterAsync("321320104" + village, "Village");
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await client.GetAsync($"{Path}?under=321320&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonSerializer.Deserialize<List<StationDto>>(await response.Content.ReadAsStringAsync(), HttpAssertions.Json)!;
            Assert.InRange(page.Count, 1, 3);
            seen.AddRange(page.Select(s => s.Code));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
            if (cursor is not null)
            {
                Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single());
                Assert.DoesNotContain("321320", cursor);
            }
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task A_township_admin_changes_and_reads_only_their_township()
    {
        using var county = factory.CreateClient();
        await county.RegisterTreeAsync("321324");
        await county.RegisterAsync("321324105", "Institute");
        await county.RegisterAsync("321324105201", "Village");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await township.PutAsync($"{Path}/321324105201", new { name = "not theirs" }, HttpStatusCode.NotFound);
        await township.PostAsync($"{Path}/321324105201/close", new { reason = "x" }, HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/321324105/subtree", HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/321324105201/path", HttpStatusCode.NotFound);
        await township.PostAsync(Path, new { code = "321324105201-S01", name = "not theirs", kind = "School" }, HttpStatusCode.Forbidden);
        await township.PostAsync(Path, new { code = "321324104201-S01", name = "theirs", kind = "School" }, HttpStatusCode.Created);
        await township.PutAsync($"{Path}/321324104201", new { name = "theirs" }, HttpStatusCode.OK);
        // The path starts where the caller's reach does: the county centre is outside a township's scope.
        Assert.Equal(["321324104", "321324104201"], Codes(await township.GetAsync<List<StationDto>>($"{Path}/321324104201/path")));
        // A volunteer reads but does not write.
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await volunteer.PutAsync($"{Path}/321324104201", new { name = "mine" }, HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/321324104201/subtree", HttpStatusCode.OK);
    }

    private static List<string> Codes(List<StationDto> stations) => stations.Select(s => s.Code).ToList();

    private sealed record StationDto(string Code, string Name);
}
