using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.TestSupport;
using Xunit;

namespace PracticeMesh.Stations.Tests;

/// <summary>PostgreSQL schemas come from the service's migrations, so a new version upgrades a database in place.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void The_model_has_no_change_missing_from_the_migrations() =>
        MigrationAssertions.AssertModelMatchesMigrations(new DesignTimeFactory());

    [Fact]
    public async Task A_new_database_gets_every_migration()
    {
        var factory = new PostgresStationsFactory();
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            await using var db = OpenContext(factory.Database);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_created_before_migrations_is_adopted_with_its_data()
    {
        var first = new PostgresStationsFactory();
        await ((IAsyncLifetime)first).InitializeAsync();
        using (var client = first.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All))
        {
            await client.RegisterTreeAsync("321373");
        }
        await first.DisposeAsync();
        // As a version from before migrations left it: the same tables and rows, no migration history.
        await using (var old = OpenContext(first.Database))
        {
            await old.Database.ExecuteSqlRawAsync("DROP TABLE \"__EFMigrationsHistory\"");
        }

        var upgraded = new PostgresStationsFactory(first.Database);
        await ((IAsyncLifetime)upgraded).InitializeAsync();
        try
        {
            using var client = upgraded.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);
            await client.GetAsync($"{StationsClient.Path}/321373104201", HttpStatusCode.OK);
            await client.RegisterAsync("321373104202", "Village");
            await using var db = OpenContext(upgraded.Database);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await ((IAsyncLifetime)upgraded).DisposeAsync();
        }
    }

    private static StationsDbContext OpenContext(string database) =>
        new(new DbContextOptionsBuilder<StationsDbContext>().UseNpgsql(RealServers.PostgresDatabase(database)).Options);
}
