using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The stations service on PostgreSQL with a pool of one connection that it waits for at most a second.</summary>
public sealed class OneConnectionStationsFactory() : PostgresServiceFactory<StationsModule>("stations")
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:stations", $"{RealServers.PostgresDatabase(Database)};Maximum Pool Size=1;Timeout=1");
    }
}

/// <summary>When every database connection stays busy, a request is told to come back (503), not failed with a 500.</summary>
public sealed class BusyDatabaseTests(OneConnectionStationsFactory factory) : IClassFixture<OneConnectionStationsFactory>
{
    private const string Path = StationsClient.Path;

    [Fact]
    public async Task A_request_that_cannot_get_a_connection_is_answered_503_with_retry_after_and_succeeds_when_retried()
    {
        using var client = factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);
        await client.RegisterTreeAsync("321372");
        await client.RegisterAsync("321372104202", "Village");

        // Another session locks the stations table: the next write through the service waits on it, holding the
        // service's only connection.
        await using var locker = new NpgsqlConnection(RealServers.PostgresDatabase(factory.Database));
        await locker.OpenAsync();
        var transaction = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE stations IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var held = client.PutAsync($"{Path}/321372104201", new { name = "王集村实践站（新）" }, HttpStatusCode.OK);
        await HttpAssertions.EventuallyAsync<string>(async () => await WaitingOnLockAsync(locker, transaction) ? "waiting" : null,
            "the first write waiting on the lock");

        using var refused = await client.PutAsJsonAsync($"{Path}/321372104202", new { name = "大楼村实践站" }, HttpAssertions.Json);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);

        await transaction.CommitAsync();
        await held;
        await client.PutAsync($"{Path}/321372104202", new { name = "大楼村实践站" }, HttpStatusCode.OK);
        var renamed = await client.GetAsync($"{Path}/321372104202", HttpStatusCode.OK);
        Assert.Equal("大楼村实践站", renamed.GetProperty("name").GetString());
    }

    private static async Task<bool> WaitingOnLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'stations' AND NOT l.granted",
            connection, transaction);
        return (long)(await query.ExecuteScalarAsync())! > 0;
    }
}
