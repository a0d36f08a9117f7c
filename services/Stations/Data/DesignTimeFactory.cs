using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Stations.Data;

/// <summary>For <c>dotnet ef migrations add</c>: see <see cref="PostgresDesignTimeFactory{TContext}"/>.</summary>
public sealed class DesignTimeFactory : PostgresDesignTimeFactory<StationsDbContext>;
