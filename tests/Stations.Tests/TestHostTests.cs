using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Stations.Data;

namespace PracticeMesh.Stations.Tests;

/// <summary>Guards the other tests: they must never write to the PostgreSQL named in the service's appsettings.json.</summary>
public sealed class TestHostTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    [Fact]
    public void The_service_under_test_uses_the_tests_own_sqlite_folder()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StationsDbContext>();

        Assert.True(db.Database.IsSqlite());
        Assert.Contains(factory.DataDirectory, db.Database.GetConnectionString());
    }
}
