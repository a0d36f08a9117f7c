using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace PracticeMesh.TestSupport;

/// <summary>
/// <see cref="ServiceFactory{TEntryPoint}"/> on the real PostgreSQL instead of SQLite, in a database of its own that
/// is dropped afterwards.
/// </summary>
/// <param name="service">The service's connection-string name, e.g. "stations".</param>
public class PostgresServiceFactory<TEntryPoint>(string service) : ServiceFactory<TEntryPoint>, IAsyncLifetime where TEntryPoint : class
{
    public string Database { get; } = RealServers.UniqueName($"{service}_test");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting($"ConnectionStrings:{service}", RealServers.PostgresDatabase(Database));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await RealServers.DropDatabaseAsync(Database);
    }
}
