using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Division scopes on grids.</summary>
public sealed class AuthorizationTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/grids";

    [Fact]
    public async Task A_grid_worker_reads_their_village_only_and_cannot_draw_grids()
    {
        await factory.VillagesAsync("321324104201", "321324105201");
        using var county = factory.CreateClient();
        await county.PostAsync(Path, new { villageCode = "321324104201", serial = 1, name = "一网格" }, HttpStatusCode.Created);
        await county.PostAsync(Path, new { villageCode = "321324105201", serial = 1, name = "外村一网格" }, HttpStatusCode.Created);
        using var worker = factory.CreateClient(PracticeMeshRoles.GridWorker, "321324104201");

        await worker.GetAsync($"{Path}/321324104201-01", HttpStatusCode.OK);
        await worker.GetAsync($"{Path}/321324105201-01", HttpStatusCode.NotFound);
        var listed = await worker.GetAsync($"{Path}?under=321324", HttpStatusCode.OK);
        Assert.Equal(["321324104201-01"], listed.EnumerateArray().Select(g => g.GetProperty("code").GetString()));
        await worker.PostAsync(Path, new { villageCode = "321324104201", serial = 2, name = "二网格" }, HttpStatusCode.Forbidden);
        await county.GetAsync($"{Path}/321324104201-02", HttpStatusCode.NotFound);
    }
}
