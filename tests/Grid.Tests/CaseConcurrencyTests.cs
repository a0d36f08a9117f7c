using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Transitions racing on one case, on the real PostgreSQL: the case's version decides, one request wins and every
/// other answers 409, and the history holds the winner's step alone.
/// </summary>
public sealed class CaseConcurrencyTests(PostgresGridFactory factory) : IClassFixture<PostgresGridFactory>
{
    [Fact]
    public async Task Of_concurrent_transitions_on_one_case_one_wins_and_the_others_are_409()
    {
        var grid = await factory.GridAsync("321324104261");
        using var staff = factory.CreateClient();
        var id = (await staff.ReportAsync(grid, 33.8000, 118.3000)).Id();
        using var start = new SemaphoreSlim(0);
        var clients = Enumerable.Range(0, 6).Select(_ => factory.CreateClient()).ToList();

        var racing = clients.Select(async (client, i) =>
        {
            await start.WaitAsync();
            // Half accept, half reject: whichever commits first, the case takes exactly one of the two paths.
            using var response = i % 2 == 0
                ? await client.PostAsJsonAsync($"{CaseTestKit.Cases}/{id}/accept", new { remark = $"accept {i}" })
                : await client.PostAsJsonAsync($"{CaseTestKit.Cases}/{id}/reject", new { reason = $"reject {i}" });
            return response.StatusCode;
        }).ToList();
        start.Release(clients.Count);
        var answers = await Task.WhenAll(racing);
        clients.ForEach(c => c.Dispose());

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a));
        var read = await staff.CaseAsync(id);
        Assert.Equal(2, read.GetProperty("history").GetArrayLength());
        Assert.Equal(read.Status(), read.Actions()[1]);
        Assert.Equal(2, read.GetProperty("version").GetInt32());
        if (read.Status() == "Rejected")
        {
            await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        }
    }

    [Fact]
    public async Task A_townships_open_cases_page_reads_on_postgres_by_division_range()
    {
        var grid = await factory.GridAsync("321324119261");
        var other = await factory.GridAsync("321324120261");
        using var staff = factory.CreateClient();
        var inside = (await staff.ReportAsync(grid, 33.8100, 118.3000)).Id();
        await staff.ReportAsync(other, 33.8200, 118.3000);

        var page = await factory.TownshipClient("321324119").GetAsync("/api/v1/grid/cases?under=321324119&open=true&overdue=false", HttpStatusCode.OK);

        Assert.Equal([inside], page.GetProperty("items").EnumerateArray().Select(c => c.Id()));
    }
}
