using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.Data;

/// <summary>For <c>dotnet ef migrations add</c>: see <see cref="PostgresDesignTimeFactory{TContext}"/>.</summary>
public sealed class DesignTimeFactory : PostgresDesignTimeFactory<GridDbContext>
{
    protected override void ConfigurePostgres(NpgsqlDbContextOptionsBuilder options) => GridModule.ConfigurePostgres(options);
}
