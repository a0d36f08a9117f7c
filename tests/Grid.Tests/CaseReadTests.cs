using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Reading cases: one with its history, pages of a division's cases, and "my cases".</summary>
public sealed class CaseReadTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_townships_cases_come_newest_first_in_pages_with_the_total_and_filters()
    {
        var first = await factory.GridAsync("321324110241");
        var second = await factory.GridAsync("321324110242");
        var outside = await factory.GridAsync("321324111241");
        using var staff = factory.CreateClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await staff.ReportAsync(i % 2 == 0 ? first : second, 33.50 + i * 0.01, 118.30)).Id());
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var road = (await staff.ReportAsync(first, 33.56, 118.30, "road-damage")).Id();
        await staff.ReportAsync(outside, 33.57, 118.30);
        await staff.StepAsync(ids[0], "reject", new { reason = "重复上报" });
        using var township = factory.TownshipClient("321324110");

        var page1 = await township.GetAsync("/api/v1/grid/cases?under=321324110&category=sanitation&pageSize=2", HttpStatusCode.OK);
        var page3 = await township.GetAsync("/api/v1/grid/cases?under=321324110&category=sanitation&pageSize=2&page=3", HttpStatusCode.OK);
        var open = await township.GetAsync("/api/v1/grid/cases?open=true&category=sanitation", HttpStatusCode.OK);
        var inGrid = await township.GetAsync($"/api/v1/grid/cases?gridCode={second}", HttpStatusCode.OK);
        var rejected = await township.GetAsync("/api/v1/grid/cases?status=rejected", HttpStatusCode.OK);
        var county = await staff.GetAsync("/api/v1/grid/cases?under=32132411&category=sanitation", HttpStatusCode.OK);

        Assert.Equal((5, 2), (page1.GetProperty("total").GetInt32(), page1.GetProperty("items").GetArrayLength()));
        Assert.Equal([ids[4], ids[3]], Ids(page1));
        Assert.Equal([ids[0]], Ids(page3));
        Assert.Equal([ids[4], ids[3], ids[2], ids[1]], Ids(open));
        Assert.Equal([ids[3], ids[1]], Ids(inGrid));
        Assert.Equal([ids[0]], Ids(rejected));
        Assert.Equal(6, county.GetProperty("total").GetInt32());
        Assert.DoesNotContain(road, Ids(open));
        HttpAssertions.AssertNamesInvalid(await township.GetAsync("/api/v1/grid/cases?status=lost", HttpStatusCode.BadRequest), "status");
        HttpAssertions.AssertNamesInvalid(await township.GetAsync("/api/v1/grid/cases?pageSize=1000", HttpStatusCode.BadRequest), "pageSize");
        Assert.Equal(0, (await township.GetAsync("/api/v1/grid/cases?under=321324111", HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Overdue_lists_the_open_cases_past_their_limit()
    {
        var grid = await factory.GridAsync("321324104243");
        using var staff = factory.CreateClient();
        var late = (await staff.ReportAsync(grid, 33.60, 118.30)).Id();
        var done = (await staff.ReportAsync(grid, 33.61, 118.30)).Id();
        await staff.StepAsync(done, "reject", new { reason = "非网格事项" });
        factory.Clock.Advance(TimeSpan.FromDays(40));
        var fresh = (await staff.ReportAsync(grid, 33.62, 118.30)).Id();

        var overdue = await staff.GetAsync("/api/v1/grid/cases?under=321324104243&overdue=true", HttpStatusCode.OK);
        var inTime = await staff.GetAsync("/api/v1/grid/cases?under=321324104243&overdue=false", HttpStatusCode.OK);

        Assert.Equal([late], Ids(overdue));
        Assert.True(overdue.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        Assert.Equal([fresh, done], Ids(inTime));
    }

    [Fact]
    public async Task A_case_reads_with_its_history_and_a_resident_sees_only_their_own()
    {
        var grid = await factory.GridAsync("321324104244");
        var person = Guid.NewGuid();
        using var reporter = factory.ResidentClient("321324104244", person);
        using var neighbour = factory.ResidentClient("321324104244");
        using var staff = factory.CreateClient();
        var reported = await reporter.ReportAsync(grid, 33.63, 118.30);
        var id = reported.Id();
        var other = (await staff.ReportAsync(grid, 33.64, 118.30)).Id();
        await staff.StepAsync(id, "accept", new { remark = "立案" });

        var own = await reporter.CaseAsync(id);
        var read = await staff.CaseAsync(id);

        Assert.Equal(["Reported", "Accepted"], read.Actions());
        var accepted = read.GetProperty("history")[1];
        Assert.Equal(("立案", "county_admin", "Accepted"),
            (accepted.GetProperty("remark").GetString(), accepted.GetProperty("actorRole").GetString(), accepted.GetProperty("status").GetString()));
        Assert.Equal(person.ToString(), read.GetProperty("reporterId").GetString());
        Assert.Equal(reported.GetProperty("followToken").GetGuid(), own.GetProperty("followToken").GetGuid());
        Assert.False(read.TryGetProperty("followToken", out _));
        await neighbour.CaseAsync(id, HttpStatusCode.NotFound);
        await reporter.CaseAsync(other, HttpStatusCode.NotFound);
        await reporter.GetAsync("/api/v1/grid/cases?under=321324104244", HttpStatusCode.Forbidden);
        await staff.CaseAsync(Guid.NewGuid(), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task My_cases_are_what_I_reported_and_for_a_grid_worker_what_is_dispatched_to_me()
    {
        var grid = await factory.GridAsync("321324104245");
        var worker = await factory.WorkerAsync(grid);
        var person = Guid.NewGuid();
        using var reporter = factory.ResidentClient("321324104245", person);
        using var handler = factory.WorkerClient(worker, "321324104245");
        using var staff = factory.CreateClient();
        var mine = (await reporter.ReportAsync(grid, 33.65, 118.30)).Id();
        var found = (await handler.ReportAsync(grid, 33.66, 118.30)).Id();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var given = (await staff.ReportAsync(grid, 33.67, 118.30)).Id();
        (await staff.ReportAsync(grid, 33.68, 118.30)).Id();
        await staff.StepAsync(given, "accept");
        await staff.StepAsync(given, "dispatch", new { handlerId = worker });

        Assert.Equal([mine], Ids(await reporter.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK)));
        Assert.Equal([given, found], Ids(await handler.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK)));
    }

    [Fact]
    public async Task A_partner_system_reports_and_follows_its_own_cases_only()
    {
        var grid = await factory.GridAsync("321324104246");
        using var partner = factory.PartnerClient("city-hotline", "321324", ApiScopes.GridReport);
        using var otherPartner = factory.PartnerClient("other-system", "321324", ApiScopes.GridReport);

        var reported = await partner.ReportAsync(grid, 33.69, 118.30);
        var id = reported.Id();

        Assert.Equal(("Partner", JsonValueKind.Null, "city-hotline"), (reported.GetProperty("source").GetString(),
            reported.GetProperty("reporterId").ValueKind, reported.GetProperty("partnerClientId").GetString()));
        Assert.Equal(reported.GetProperty("followToken").GetGuid(), (await partner.CaseAsync(id)).GetProperty("followToken").GetGuid());
        Assert.Equal([id], Ids(await partner.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK)));
        await otherPartner.CaseAsync(id, HttpStatusCode.NotFound);
        Assert.Empty(Ids(await otherPartner.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK)));
    }

    private static Guid[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(c => c.Id())];
}
