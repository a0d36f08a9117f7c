using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace PracticeMesh.TestSupport;

/// <summary>
/// <see cref="ServiceFactory{TEntryPoint}"/> on the real PostgreSQL instead of SQLite, in a database of its own that
/// is dropped afterwards.
/// </summary>
public class PostgresServiceFactory<TEntryPoint> : ServiceFactory<TEntryPoint>, IAsyncLifetime where TEntryPoint : class
{
    private readonly string _service;

    /// <param name="service">The service's connection-string name, e.g. "stations".</param>
    public PostgresServiceFactory(string service) : this(service, RealServers.UniqueName($"{service}_test")) { }

    /// <summary>On an existing database, as a new version of the service would find it.</summary>
    protected PostgresServiceFactory(string service, string database) => (_service, Database) = (service, database);

    public string Database { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting($"ConnectionStrings:{_service}", RealServers.PostgresDatabase(Database));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await RealServers.DropDatabaseAsync(Database);
    }
}
