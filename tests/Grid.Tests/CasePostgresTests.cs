using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Cases on the real PostgreSQL: transitions racing on one case (the case's version decides, one request wins and
/// every other answers 409, and the history holds the winner's step alone), and a township's page read by index.
/// </summary>
public sealed class CasePostgresTests(PostgresGridFactory factory) : IClassFixture<PostgresGridFactory>
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

    [Fact]
    public async Task A_townships_page_is_a_range_on_the_division_status_and_time_index()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        // A county's worth of shape: 400 villages in townships 130-149, 50 cases each, every status.
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO cases ("Id", "Number", "DivisionCode", "OutsideGrids", "CategoryCode", "Description", "Media", "Source",
                "FollowToken", "Status", "ReportedAt", "UpdatedAt", "WentOverdue", "Reworks", "Extensions", "EscalationLevel", "Version")
            SELECT gen_random_uuid(), 'P' || i, '321324' || (130 + i % 400 / 20) || (200 + i % 20), false, 'sanitation', 'x', ARRAY[]::text[], 'Resident',
                gen_random_uuid(), (ARRAY['Reported','Accepted','Dispatched','Handled','Verified','Closed','Rejected','Merged'])[1 + i / 400 % 8],
                now() - i * interval '1 minute', now(), false, 0, 0, 0, 1
            FROM generate_series(0, 19999) AS i;
            ANALYZE cases;
            """);
        var query = db.Cases.Under("321324135").Where(c => c.Status == CaseStatus.Dispatched).OrderByDescending(c => c.ReportedAt).Take(50);
        // The statement EF sends, its parameters written in as literals, so PostgreSQL can say how it would read it.
        var text = query.ToQueryString();
        var parameters = Regex.Matches(text, @"^-- (@\w+)='([^']*)'.*$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var sql = string.Join('\n', text.Split('\n').Where(line => !line.StartsWith("-- ", StringComparison.Ordinal)));
        var explain = "EXPLAIN " + Regex.Replace(sql, @"@\w+", m => parameters.TryGetValue(m.Value, out var value) ? $"'{value}'" : m.Value);

        var plan = string.Join('\n', await db.Database.SqlQueryRaw<string>(explain).ToListAsync());

        Assert.Matches(@"Index Cond: .*""DivisionCode""\)::text >= '321324135'", plan);
        // The index on every case or the one on open cases alone, whichever the planner finds cheaper: both start at the township.
        Assert.Matches("IX_cases_DivisionCode_Status_ReportedAt|IX_cases_open_DivisionCode_ReportedAt", plan);
        Assert.Equal(50, await query.CountAsync());
    }
}
