using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>Open311 on the deployed database, PostgreSQL: the key check, the searches and the village names in its SQL.</summary>
public sealed class Open311PostgresTests(PostgresGridFactory factory) : IClassFixture<PostgresGridFactory>
{
    private const string Village = "321324104211";

    [Fact]
    public async Task A_request_posted_reads_back_by_number_token_and_search_naming_its_village()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            db.Villages.Add(new KnownVillage(DivisionCode.Parse(Village), "洪桥村新时代文明实践站", factory.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();

        var posted = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("address_id", Village), ("service_code", "sanitation")));
        Assert.True(posted.Status == HttpStatusCode.OK, posted.Body);
        var answer = JsonDocument.Parse(posted.Body).RootElement[0];
        var number = answer.GetProperty("service_request_id").GetString()!;
        var token = answer.GetProperty("token").GetString()!;

        var byNumber = (await GetJsonAsync(client, $"{Base}/requests/{number}.json"))[0];
        var byToken = (await GetJsonAsync(client, $"{Base}/tokens/{token}.json"))[0];
        var byIds = await GetJsonAsync(client, $"{Base}/requests.json?service_request_id={number},20260101-NONE0");
        var bySearch = await GetJsonAsync(client, $"{Base}/requests.json?service_code=sanitation,dispute&status=open&start_date=2026-03-04T08:00:00%2B08:00");
        var closed = await GetJsonAsync(client, $"{Base}/requests.json?status=closed");

        Assert.Equal($"洪桥村新时代文明实践站 ({Village})", byNumber.GetProperty("agency_responsible").GetString());
        Assert.Contains("洪桥村新时代文明实践站", answer.GetProperty("service_notice").GetString());
        Assert.Equal(number, byToken.GetProperty("service_request_id").GetString());
        Assert.Equal([number], byIds.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()));
        Assert.Contains(bySearch.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == number);
        Assert.DoesNotContain(closed.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == number);
    }

    [Fact]
    public async Task A_revoked_or_forged_key_is_refused_on_postgres_too()
    {
        var key = await IssueKeyAsync(factory, clientId: "pg-app");
        using var admin = factory.CreateClient();
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);

        AssertJsonErrors(await PostFormAsync(client, $"{Base}/requests.json", Request($"{Guid.NewGuid():N}.forged")), HttpStatusCode.Forbidden, "api_key");
        using var revoke = await admin.DeleteAsync($"/api/v1/grid/open311/keys/{key[..32]}");
        AssertJsonErrors(await PostFormAsync(client, $"{Base}/requests.json", Request(key)), HttpStatusCode.Forbidden, "revoked");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(before, await CountCasesAsync(factory));
    }
}
