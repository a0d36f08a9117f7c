using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build a service's context without starting its host. Migrations are
/// PostgreSQL's, the deployed database; the standalone host's SQLite files are created from the model as they are.
/// No database is contacted to add a migration.
/// </summary>
public abstract class PostgresDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : ServiceDbContext
{
    public TContext CreateDbContext(string[] args) =>
        (TContext)Activator.CreateInstance(typeof(TContext), new DbContextOptionsBuilder<TContext>().UseNpgsql("Host=localhost", ConfigurePostgres).Options)!;

    /// <summary>The provider options the service passes to <see cref="DatabaseExtensions.AddServiceDatabase{TContext}"/>, so migrations see the same model.</summary>
    protected virtual void ConfigurePostgres(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder options) { }
}
