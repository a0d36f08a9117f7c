using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Case categories and their time limits over HTTP: the shipped set, the county's changes, and bad input.</summary>
public sealed class CategoryApiTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/categories";

    private static object Body(string name = "道路破损", object? accept = null, object? handle = null, object? verify = null, bool staysInGrid = false, bool active = true) => new
    {
        name,
        acceptWithin = accept ?? new { amount = 8, unit = "WorkingHours" },
        handleWithin = handle ?? new { amount = 5, unit = "WorkingDays" },
        verifyWithin = verify ?? new { amount = 2, unit = "WorkingDays" },
        staysInGrid,
        active,
    };

    [Fact]
    public async Task Reporters_and_readers_see_the_shipped_categories_with_their_limits()
    {
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, "321324104202");

        var list = (await resident.GetAsync(Path, HttpStatusCode.OK)).EnumerateArray().ToList();

        Assert.Equal(8, list.Count);
        var sanitation = Assert.Single(list, c => c.GetProperty("code").GetString() == "sanitation");
        Assert.True(sanitation.GetProperty("staysInGrid").GetBoolean());
        Assert.Equal((4, "WorkingHours"), Limit(sanitation, "acceptWithin"));
        var safety = await factory.CreateClient(PracticeMeshRoles.GridWorker, "321324104201").GetAsync($"{Path}/safety-hazard", HttpStatusCode.OK);
        Assert.Equal((1, "WorkingDays"), Limit(safety, "handleWithin"));
        Assert.False(safety.GetProperty("staysInGrid").GetBoolean());
    }

    [Fact]
    public async Task The_county_changes_a_categorys_limits_and_its_version_moves()
    {
        using var county = factory.CreateClient();
        var before = await county.GetAsync($"{Path}/dispute", HttpStatusCode.OK);

        var changed = await county.PutJsonAsync($"{Path}/dispute", Body("矛盾纠纷调解", handle: new { amount = 10, unit = "WorkingDays" }, staysInGrid: true), HttpStatusCode.OK);

        Assert.Equal(before.GetProperty("version").GetInt32() + 1, changed.GetProperty("version").GetInt32());
        var read = await county.GetAsync($"{Path}/dispute", HttpStatusCode.OK);
        Assert.Equal((10, "WorkingDays"), Limit(read, "handleWithin"));
        Assert.Equal("矛盾纠纷调解", read.GetProperty("name").GetString());
        Assert.True(read.GetProperty("staysInGrid").GetBoolean());
    }

    [Fact]
    public async Task The_county_adds_a_category()
    {
        using var county = factory.CreateClient();

        var created = await county.PutJsonAsync($"{Path}/stray-animals", Body("流浪动物", accept: new { amount = 4, unit = "workinghours" }), HttpStatusCode.Created);

        Assert.Equal((4, "WorkingHours"), Limit(created, "acceptWithin"));
        Assert.Contains((await county.GetAsync(Path, HttpStatusCode.OK)).EnumerateArray(), c => c.GetProperty("code").GetString() == "stray-animals");
    }

    private static object BadBody(string variant) => variant switch
    {
        "unit" => Body(accept: new { amount = 8, unit = "Minutes" }),
        "zero" => Body(handle: new { amount = 0, unit = "WorkingDays" }),
        "hours" => Body(verify: new { amount = 721, unit = "WorkingHours" }),
        "days" => Body(handle: new { amount = 61, unit = "WorkingDays" }),
        "name" => Body(name: " "),
        "missing" => new { name = "道路破损", handleWithin = new { amount = 5, unit = "WorkingDays" }, verifyWithin = new { amount = 2, unit = "WorkingDays" } },
        _ => Body(),
    };

    [Theory]
    [InlineData("road-damage", "unit", "acceptWithin")] // an unknown unit
    [InlineData("road-damage", "zero", "handleWithin")] // amount ≤ 0
    [InlineData("road-damage", "hours", "verifyWithin")] // over 720 working hours
    [InlineData("road-damage", "days", "handleWithin")] // over 60 working days
    [InlineData("road-damage", "name", "name")]
    [InlineData("road-damage", "missing", "acceptWithin")]
    [InlineData("Road Damage", "good", "code")]
    public async Task A_bad_category_is_400_naming_the_field_and_nothing_changes(string code, string variant, string field)
    {
        using var county = factory.CreateClient();

        var problem = await county.PutJsonAsync($"{Path}/{Uri.EscapeDataString(code)}", BadBody(variant), HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
        var roads = await county.GetAsync($"{Path}/road-damage", HttpStatusCode.OK);
        Assert.Equal(((8, "WorkingHours"), (5, "WorkingDays"), (2, "WorkingDays"), 0),
            (Limit(roads, "acceptWithin"), Limit(roads, "handleWithin"), Limit(roads, "verifyWithin"), roads.GetProperty("version").GetInt32()));
        // A bad new code was not created either.
        Assert.Equal(code == "road-damage" ? 1 : 0, (await county.GetAsync(Path, HttpStatusCode.OK)).EnumerateArray().Count(c => c.GetProperty("code").GetString() == code));
    }

    [Theory]
    [InlineData(PracticeMeshRoles.TownshipAdmin, "321324104")]
    [InlineData(PracticeMeshRoles.StationAdmin, "321324104201")]
    [InlineData(PracticeMeshRoles.GridWorker, "321324104201")]
    public async Task Only_the_countys_administrators_change_categories(string role, string division)
    {
        using var other = factory.CreateClient(role, division);

        await other.PutJsonAsync($"{Path}/public-facility", Body("改名"), HttpStatusCode.Forbidden);

        Assert.Equal("公共设施损坏", (await factory.CreateClient().GetAsync($"{Path}/public-facility", HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_unknown_category_is_404_and_a_volunteer_does_not_read_them()
    {
        await factory.CreateClient().GetAsync($"{Path}/no-such-thing", HttpStatusCode.NotFound);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104202");
        using var response = await volunteer.GetAsync(Path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static (int, string) Limit(JsonElement category, string property)
    {
        var limit = category.GetProperty(property);
        return (limit.GetProperty("amount").GetInt32(), limit.GetProperty("unit").GetString()!);
    }
}
