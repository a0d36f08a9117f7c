using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// What the grid makes for a village (its grids, their assignments, cases) has an id naming the village's township,
/// so the gateway sends a request that carries only the id to that township's cell.
/// </summary>
public sealed class TownshipIdTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Village = "321324141201";
    private static readonly DivisionCode Township = DivisionCode.Parse("321324141");

    [Fact]
    public async Task A_case_its_grid_and_the_grids_assignment_have_ids_naming_the_township()
    {
        using var staff = factory.CreateClient();
        var grid = await factory.GridAsync(Village);
        var gridId = (await staff.GetAsync($"/api/v1/grid/grids/{grid}", HttpStatusCode.OK)).Id();
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, Village, "钱网格");
        var assignment = (await staff.PostAsync($"/api/v1/grid/grids/{grid}/assignments", new { personId = worker, duty = "Worker" }, HttpStatusCode.Created)).Id();

        var reported = (await staff.ReportAsync(grid, 33.95, 118.95)).Id();

        Assert.All(new[] { gridId, assignment, reported }, id => Assert.Equal(Township, TownshipGuid.TownshipOf(id)));
        Assert.Equal(reported, (await staff.CaseAsync(reported)).Id());
    }
}
