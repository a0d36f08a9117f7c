using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The six haves (六有): evidence, the check by the tier above, compliance. Works in county 321324, a village per test.</summary>
public sealed class SixHavesApiTests(StationsFactory factory) : IClassFixture<StationsFactory>, IAsyncLifetime
{
    private const string Path = StationsClient.Path;
    private static readonly string[] Items = ["Site", "Team", "Rules", "Funding", "Results", "Specialty"];

    public async Task InitializeAsync()
    {
        using var county = factory.CreateClient();
        foreach (var (code, kind) in new[] { ("321324", "CountyCentre"), ("321324104", "Institute"), ("321324105", "Institute") })
        {
            // Runs before every test of the class; the first registers.
            using var response = await county.PostAsJsonAsync(Path, new { code, name = code, kind }, HttpAssertions.Json);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Township(string township = "321324104") => factory.CreateClient(PracticeMeshRoles.TownshipAdmin, township);

    [Fact]
    public async Task Evidence_then_a_check_by_the_township_makes_an_item_pass_and_all_six_make_the_station_compliant()
    {
        using var township = Township();
        await township.RegisterAsync("321324104201", "Village");
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");

        foreach (var item in Items)
        {
            var evidence = await station.PutAsync($"{Path}/321324104201/six-haves/{item}",
                new { text = $"{item} 证明材料", attachments = new[] { $"files/{item}.jpg" } }, HttpStatusCode.OK);
            Assert.Equal($"files/{item}.jpg", evidence.GetProperty("attachments")[0].GetString());
        }
        foreach (var item in Items)
        {
            var checkedItem = await township.PostAsync($"{Path}/321324104201/six-haves/{item.ToLowerInvariant()}/verification",
                new { verdict = "Passed", remark = "符合" }, HttpStatusCode.OK);
            Assert.Equal("321324104", checkedItem.GetProperty("verification").GetProperty("verifierDivision").GetString());
        }

        var checklist = await station.GetAsync($"{Path}/321324104201/six-haves", HttpStatusCode.OK);
        Assert.True(checklist.GetProperty("compliant").GetBoolean());
        Assert.Equal(6, checklist.GetProperty("passedItems").GetInt32());
        var e = await factory.PublishedAsync<SixHavesVerified>(m => m.StationCode == "321324104201" && m.Compliant);
        Assert.Equal(6, e.PassedItems);
        Assert.Equal("321324104", e.VerifierDivision);
        Assert.Equal(SixHavesVerdict.Passed, e.Verdict);
    }

    [Fact]
    public async Task A_station_cannot_verify_itself_and_an_item_needs_evidence_before_a_check()
    {
        using var township = Township();
        await township.RegisterAsync("321324104202", "Village");
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104202");

        await township.PostAsync($"{Path}/321324104202/six-haves/Site/verification", new { verdict = "Passed" }, HttpStatusCode.Conflict);
        await station.PutAsync($"{Path}/321324104202/six-haves/Site", new { text = "活动室" }, HttpStatusCode.OK);
        await station.PostAsync($"{Path}/321324104202/six-haves/Site/verification", new { verdict = "Passed" }, HttpStatusCode.Forbidden);

        var noRemark = await township.PostAsync($"{Path}/321324104202/six-haves/Site/verification", new { verdict = "Failed" }, HttpStatusCode.BadRequest);
        Assert.True(noRemark.HasError("remark"), noRemark.ToString());
        var failed = await township.PostAsync($"{Path}/321324104202/six-haves/Site/verification", new { verdict = "Failed", remark = "面积不足" }, HttpStatusCode.OK);
        Assert.Equal("Failed", failed.GetProperty("verification").GetProperty("verdict").GetString());

        // New evidence clears the earlier verdict: it was about other evidence.
        var renewed = await station.PutAsync($"{Path}/321324104202/six-haves/Site", new { text = "扩建后活动室" }, HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, renewed.GetProperty("verification").ValueKind);
    }

    [Theory]
    [InlineData("Castle")]
    [InlineData("7")]
    [InlineData("阵地")]
    public async Task Evidence_for_an_unknown_item_is_400_naming_item(string item)
    {
        using var township = Township();

        var problem = await township.PutAsync($"{Path}/321324104/six-haves/{item}", new { text = "x" }, HttpStatusCode.BadRequest);
        var check = await township.PostAsync($"{Path}/321324104/six-haves/{item}/verification", new { verdict = "Passed" }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError("item"), problem.ToString());
        Assert.True(check.HasError("item"), check.ToString());
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("x", "attachments")]
    public async Task Bad_evidence_is_400_naming_the_field(string text, string field)
    {
        using var township = Township();

        var problem = await township.PutAsync($"{Path}/321324104/six-haves/Team",
            new { text, attachments = field == "attachments" ? new[] { " " } : null }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
    }

    [Fact]
    public async Task Compliance_is_listed_for_a_whole_township_within_the_callers_reach()
    {
        using var county = factory.CreateClient();
        await county.RegisterAsync("321324105201", "Village");
        await county.RegisterAsync("321324105202", "Village");
        await county.PutAsync($"{Path}/321324105201/six-haves/Site", new { text = "活动室" }, HttpStatusCode.OK);
        await county.PostAsync($"{Path}/321324105201/six-haves/Site/verification", new { verdict = "Passed" }, HttpStatusCode.OK);

        var report = await county.GetAsync($"{Path}/six-haves?under=321324105", HttpStatusCode.OK);

        Assert.Equal(3, report.GetProperty("sites").GetInt32());
        Assert.Equal(0, report.GetProperty("compliant").GetInt32());
        var first = report.GetProperty("stations").EnumerateArray().Single(s => s.GetProperty("stationCode").GetString() == "321324105201");
        Assert.Equal(1, first.GetProperty("passedItems").GetInt32());

        // Another township's admin sees none of it, and cannot reach its records.
        using var other = Township("321324104");
        Assert.Equal(0, (await other.GetAsync($"{Path}/six-haves?under=321324105", HttpStatusCode.OK)).GetProperty("sites").GetInt32());
        await other.GetAsync($"{Path}/321324105201/six-haves", HttpStatusCode.NotFound);
        await other.PutAsync($"{Path}/321324105201/six-haves/Site", new { text = "x" }, HttpStatusCode.NotFound);
        await other.PostAsync($"{Path}/321324105201/six-haves/Site/verification", new { verdict = "Passed" }, HttpStatusCode.NotFound);
    }
}
