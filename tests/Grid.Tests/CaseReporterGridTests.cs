using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>A grid worker reporting without a location reports in the grid they work.</summary>
public sealed class CaseReporterGridTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_worker_of_one_grid_reports_in_it_and_a_worker_of_two_names_one()
    {
        const string village = "321324140201";
        var first = await factory.GridAsync(village, 1);
        var second = await factory.GridAsync(village, 2);
        var oneGrid = await factory.WorkerAsync(first);
        var twoGrids = await factory.WorkerAsync(first, "两格网格员");
        // The second assignment of the same person, in the other grid.
        await factory.AssignAsync(second, twoGrids);
        using var worker = factory.WorkerClient(oneGrid, village);
        using var busier = factory.WorkerClient(twoGrids, village);
        var body = new { category = "sanitation", description = "垃圾桶满溢" };

        var reported = await worker.PostAsync(CaseTestKit.Cases, body, HttpStatusCode.Created);
        var unclear = await busier.PostAsync(CaseTestKit.Cases, body, HttpStatusCode.BadRequest);
        var named = await busier.PostAsync(CaseTestKit.Cases, new { body.category, body.description, gridCode = second }, HttpStatusCode.Created);

        Assert.Equal((first, false), (reported.GetProperty("gridCode").GetString(), reported.GetProperty("outsideGrids").GetBoolean()));
        Assert.True(unclear.GetProperty("errors").TryGetProperty("gridCode", out _), unclear.ToString());
        Assert.Equal(second, named.GetProperty("gridCode").GetString());
    }
}
