using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Coverage (有格无员, 有村无格): what <c>GET /coverage</c> counts and the <c>CoverageChanged</c> events when a gap opens or
/// closes. Each test works in a township of its own.
/// </summary>
public sealed class CoverageTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private void Later() => factory.Clock.Advance(TimeSpan.FromSeconds(1));

    private static string Assignments(string grid) => $"/api/v1/grid/grids/{grid}/assignments";

    [Fact]
    public async Task Assigning_the_first_worker_closes_the_grids_gap_and_ending_the_last_reopens_it()
    {
        const string village = "321324131201";
        var grid = await GridPeople.CreateGridAsync(factory, village, 1);
        Assert.Equal([true], await GridPeople.GapEventsAsync(factory, grid, village, 1));
        var first = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        var second = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        using var admin = factory.CreateClient();

        Later();
        var one = await admin.PostAsync(Assignments(grid), new { personId = first, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, grid, village, 2));
        Later();
        var two = await admin.PostAsync(Assignments(grid), new { personId = second, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);

        // The first leaves (yesterday was their last day): the second still works the grid.
        Later();
        await admin.PostAsync($"/api/v1/grid/assignments/{one.GetProperty("id").GetGuid()}/end", new { until = "2026-03-03" }, HttpStatusCode.OK);
        Assert.Empty((await CoverageAsync(admin, village)).GetProperty("villages")[0].GetProperty("gridsWithoutWorker").EnumerateArray());
        Later();
        await admin.PostAsync($"/api/v1/grid/assignments/{two.GetProperty("id").GetGuid()}/end", new { until = "2026-03-03" }, HttpStatusCode.OK);

        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, grid, village, 3));
        Assert.Equal([grid], (await CoverageAsync(admin, village)).GetProperty("villages")[0].GetProperty("gridsWithoutWorker").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_deactivated_worker_stays_assigned_but_counts_as_no_worker_until_activated_again()
    {
        const string village = "321324134201";
        var grid = await GridPeople.CreateGridAsync(factory, village, 1, households: 60);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        using var admin = factory.CreateClient();
        Later();
        await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker" }, HttpStatusCode.Created);
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, grid, village, 2));

        await GridPeople.SetActiveAsync(factory, worker, PracticeMeshRoles.GridWorker, village, active: false);

        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, grid, village, 3));
        var shown = Assert.Single((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((true, false), (shown.GetProperty("current").GetBoolean(), shown.GetProperty("personActive").GetBoolean()));
        var coverage = (await CoverageAsync(admin, village)).GetProperty("villages")[0];
        Assert.Equal((0, JsonValueKind.Null), (coverage.GetProperty("workers").GetInt32(), coverage.GetProperty("householdsPerWorker").ValueKind));

        await GridPeople.SetActiveAsync(factory, worker, PracticeMeshRoles.GridWorker, village, active: true);

        Assert.Equal([true, false, true, false], await GridPeople.GapEventsAsync(factory, grid, village, 4));
        Assert.Equal(60, (await CoverageAsync(admin, village)).GetProperty("villages")[0].GetProperty("householdsPerWorker").GetDouble());
    }

    [Fact]
    public async Task Coverage_counts_per_village_and_in_total_the_grids_without_workers_households_per_worker_and_villages_without_grids()
    {
        // 201: two level-2 grids (120 and 80 households) and a level-3 grid of 50 inside the first, two workers, one of
        // them in both level-2 grids; 202: one grid of 90 and no worker; 203: known, no grid; 204: known and closed.
        var a1 = await GridPeople.CreateGridAsync(factory, "321324132201", 1, households: 120);
        var a2 = await GridPeople.CreateGridAsync(factory, "321324132201", 2, households: 80);
        var b1 = await GridPeople.CreateGridAsync(factory, "321324132202", 1, households: 90);
        await GridPeople.KnowVillageAsync(factory, "321324132203", "三村");
        await GridPeople.KnowVillageAsync(factory, "321324132204", "四村");
        await GridPeople.DbAsync(factory, async db =>
        {
            var closed = await db.Villages.FindAsync(PracticeMesh.Contracts.DivisionCode.Parse("321324132204"));
            db.Entry(closed!).Property(v => v.Closed).CurrentValue = true;
            return await db.SaveChangesAsync();
        });
        using var admin = factory.CreateClient();
        await admin.PostAsync("/api/v1/grid/grids", new { villageCode = "321324132201", parentCode = a1, serial = 1, name = "一组" }, HttpStatusCode.Created);
        await GridPeople.DbAsync(factory, async db =>
        {
            var level3 = db.Grids.Single(g => g.Code == $"{a1}-1");
            db.Entry(level3).Property(g => g.Households).CurrentValue = 50;
            return await db.SaveChangesAsync();
        });
        var both = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324132201");
        var one = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324132201");
        await admin.PostAsync(Assignments(a1), new { personId = both, duty = "Worker" }, HttpStatusCode.Created);
        await admin.PostAsync(Assignments(a2), new { personId = both, duty = "Worker" }, HttpStatusCode.Created);
        await admin.PostAsync(Assignments(a1), new { personId = one, duty = "Worker" }, HttpStatusCode.Created);

        var township = await CoverageAsync(admin, "321324132");

        var villages = township.GetProperty("villages").EnumerateArray().ToList();
        Assert.Equal(["321324132201", "321324132202"], villages.Select(v => v.GetProperty("villageCode").GetString()));
        Assert.Equal((3, 200, 2, 100.0), (villages[0].GetProperty("grids").GetInt32(), villages[0].GetProperty("households").GetInt32(),
            villages[0].GetProperty("workers").GetInt32(), villages[0].GetProperty("householdsPerWorker").GetDouble()));
        Assert.Equal([$"{a1}-1"], villages[0].GetProperty("gridsWithoutWorker").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal([b1], villages[1].GetProperty("gridsWithoutWorker").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal((90, 0), (villages[1].GetProperty("households").GetInt32(), villages[1].GetProperty("workers").GetInt32()));
        Assert.Equal(["321324132203"], township.GetProperty("villagesWithoutGrids").EnumerateArray().Select(v => v.GetProperty("villageCode").GetString()));
        var totals = township.GetProperty("totals");
        Assert.Equal((2, 4, 2, 1, 290, 2, 145.0), (totals.GetProperty("villages").GetInt32(), totals.GetProperty("grids").GetInt32(),
            totals.GetProperty("gridsWithoutWorker").GetInt32(), totals.GetProperty("villagesWithoutGrids").GetInt32(),
            totals.GetProperty("households").GetInt32(), totals.GetProperty("workers").GetInt32(), totals.GetProperty("householdsPerWorker").GetDouble()));

        var village = await CoverageAsync(admin, "321324132202");
        Assert.Equal(["321324132202"], village.GetProperty("villages").EnumerateArray().Select(v => v.GetProperty("villageCode").GetString()));
        Assert.Empty(village.GetProperty("villagesWithoutGrids").EnumerateArray());

        // Another township's admin sees nothing of it; this township's admin sees all of it.
        using var other = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324133");
        Assert.Empty((await CoverageAsync(other, "321324132")).GetProperty("villages").EnumerateArray());
        using var own = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324132");
        Assert.Equal(2, (await CoverageAsync(own, null)).GetProperty("totals").GetProperty("villages").GetInt32());
    }

    [Fact]
    public async Task A_known_village_without_grids_is_a_gap_that_its_first_grid_closes_and_retiring_it_reopens()
    {
        const string village = "321324135201";
        await GridPeople.KnowVillageAsync(factory, village, "五村");
        await GridPeople.RecheckAsync(factory, village);
        Assert.Equal([true], await GridPeople.GapEventsAsync(factory, null, village, 1));

        Later();
        var grid = await GridPeople.CreateGridAsync(factory, village, 1);
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, null, village, 2));
        Assert.Equal([true], await GridPeople.GapEventsAsync(factory, grid, village, 1));

        Later();
        await GridPeople.RetireAsync(factory, grid);
        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, null, village, 3));
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, grid, village, 2));
    }

    [Fact]
    public async Task A_malformed_prefix_is_400_naming_under()
    {
        using var admin = factory.CreateClient();
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync("/api/v1/grid/coverage?under=32x", HttpStatusCode.BadRequest), "under");
    }

    private static Task<JsonElement> CoverageAsync(HttpClient client, string? under) =>
        client.GetAsync(under is null ? "/api/v1/grid/coverage" : $"/api/v1/grid/coverage?under={under}", HttpStatusCode.OK);
}

/// <summary>Coverage that moves with the calendar: an assignment's first day, and the day after its last.</summary>
public sealed class CoverageSweepTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task The_day_after_a_workers_last_day_the_gap_opens_and_on_a_workers_first_day_it_closes()
    {
        const string village = "321324137201";
        var leaving = await GridPeople.CreateGridAsync(factory, village, 1);
        var arriving = await GridPeople.CreateGridAsync(factory, village, 2);
        var first = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        var second = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        using var admin = factory.CreateClient();
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var one = await admin.PostAsync($"/api/v1/grid/grids/{leaving}/assignments", new { personId = first, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, leaving, village, 2));
        // Today is 2026-03-04: the first worker's last day is today, the second starts tomorrow.
        await admin.PostAsync($"/api/v1/grid/assignments/{one.GetProperty("id").GetGuid()}/end", new { until = "2026-03-04" }, HttpStatusCode.OK);
        await admin.PostAsync($"/api/v1/grid/grids/{arriving}/assignments", new { personId = second, duty = "Worker", from = "2026-03-05" }, HttpStatusCode.Created);
        var today = (await admin.GetAsync($"/api/v1/grid/coverage?under={village}", HttpStatusCode.OK)).GetProperty("villages")[0];
        Assert.Equal([arriving], today.GetProperty("gridsWithoutWorker").EnumerateArray().Select(c => c.GetString()));

        factory.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, leaving, village, 3));
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, arriving, village, 2));
        var tomorrow = (await admin.GetAsync($"/api/v1/grid/coverage?under={village}", HttpStatusCode.OK)).GetProperty("villages")[0];
        Assert.Equal([leaving], tomorrow.GetProperty("gridsWithoutWorker").EnumerateArray().Select(c => c.GetString()));
    }
}

/// <summary>Assignments and coverage on the real PostgreSQL: the open-assignment key and the coverage queries.</summary>
public sealed class CoveragePostgresTests(PostgresGridFactory factory) : IClassFixture<PostgresGridFactory>
{
    [Fact]
    public async Task Assigning_and_ending_a_worker_moves_coverage_and_a_second_assignment_of_the_same_duty_is_409()
    {
        const string village = "321324138201";
        var grid = await GridPeople.CreateGridAsync(factory, village, 1, households: 45);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        using var admin = factory.CreateClient();
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var made = await admin.PostAsync($"/api/v1/grid/grids/{grid}/assignments", new { personId = worker, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);
        await admin.PostAsync($"/api/v1/grid/grids/{grid}/assignments", new { personId = worker, duty = "Worker" }, HttpStatusCode.Conflict);
        var covered = (await admin.GetAsync("/api/v1/grid/coverage?under=321324138", HttpStatusCode.OK)).GetProperty("totals");
        Assert.Equal((1, 0, 45.0), (covered.GetProperty("workers").GetInt32(), covered.GetProperty("gridsWithoutWorker").GetInt32(), covered.GetProperty("householdsPerWorker").GetDouble()));

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await admin.PostAsync($"/api/v1/grid/assignments/{made.GetProperty("id").GetGuid()}/end", new { until = "2026-03-03", remark = "离职" }, HttpStatusCode.OK);

        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, grid, village, 3));
        var uncovered = (await admin.GetAsync("/api/v1/grid/coverage?under=321324138", HttpStatusCode.OK)).GetProperty("totals");
        Assert.Equal((0, 1), (uncovered.GetProperty("workers").GetInt32(), uncovered.GetProperty("gridsWithoutWorker").GetInt32()));
        var history = await admin.GetAsync($"/api/v1/grid/people/{worker}/assignments", HttpStatusCode.OK);
        Assert.Equal("离职", Assert.Single(history.EnumerateArray()).GetProperty("endRemark").GetString());
    }

    [Fact]
    public async Task Two_admins_assigning_at_once_are_both_served_once_each_and_the_gap_closes_once()
    {
        const string village = "321324139201";
        var grid = await GridPeople.CreateGridAsync(factory, village, 1);
        var first = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        var second = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        using var one = factory.CreateClient();
        using var other = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324139");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));

        // Two workers at once: both assigned, and the grid's gap closed once.
        var statuses = await Task.WhenAll(
            PostStatusAsync(one, grid, new { personId = first, duty = "Worker" }),
            PostStatusAsync(other, grid, new { personId = second, duty = "Worker" }));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], statuses);
        // The same person twice at once: one assignment, and the other admin is told it exists.
        var third = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, village);
        var twice = await Task.WhenAll(
            PostStatusAsync(one, grid, new { personId = third, duty = "Worker" }),
            PostStatusAsync(other, grid, new { personId = third, duty = "Worker" }));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], twice.Order());

        Assert.Equal(3, (await one.GetAsync($"/api/v1/grid/grids/{grid}/assignments", HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, grid, village, 2));
        Assert.Equal(2, factory.Harness.Published.Select<CoverageChanged>(m => m.Context.Message.GridCode == grid).Count());
    }

    private static async Task<HttpStatusCode> PostStatusAsync(HttpClient client, string grid, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/grid/grids/{grid}/assignments", body, HttpAssertions.Json);
        return response.StatusCode;
    }
}
