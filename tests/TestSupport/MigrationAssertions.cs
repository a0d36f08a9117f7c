using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticeMesh.ServiceDefaults.Data;
using Xunit;

namespace PracticeMesh.TestSupport;

public static class MigrationAssertions
{
    /// <summary>Fails when the service's model changed without a migration (no database is contacted).</summary>
    public static void AssertModelMatchesMigrations<TContext>(IDesignTimeDbContextFactory<TContext> factory) where TContext : ServiceDbContext
    {
        using var db = factory.CreateDbContext([]);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{typeof(TContext).Name} changed without a migration: dotnet ef migrations add <Name> --project services/<Service> --output-dir Data/Migrations");
    }
}
