using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Coverage gaps opened and closed by the stations registry and the grids API themselves, not only by assignments.</summary>
public sealed class CoverageFromGridsTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_village_heard_of_opens_its_gap_a_grid_drawn_closes_it_and_retiring_the_grid_opens_it_again()
    {
        const string village = "321324136201";
        await factory.VillagesAsync(village);
        Assert.Equal([true], await GridPeople.GapEventsAsync(factory, null, village, 1));
        using var admin = factory.CreateClient();

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var grid = (await admin.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial = 1, name = "第一网格" }, HttpStatusCode.Created))
            .GetProperty("code").GetString();
        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, null, village, 2));
        Assert.Equal([true], await GridPeople.GapEventsAsync(factory, grid, village, 1));

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await admin.PostAsync($"/api/v1/grid/grids/{grid}/retire", new { reason = "村庄拆迁" }, HttpStatusCode.OK);

        Assert.Equal([true, false], await GridPeople.GapEventsAsync(factory, grid, village, 2));
        Assert.Equal([true, false, true], await GridPeople.GapEventsAsync(factory, null, village, 3));
    }
}
