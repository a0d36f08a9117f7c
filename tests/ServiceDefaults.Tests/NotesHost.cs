using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

public enum Store { Sqlite, Postgres }

/// <summary>
/// The notes service on a chosen database and bus, built with the same AddServiceDefaults and MapServiceDefaults calls
/// as every service, its HTTP API on an in-memory test server that trusts <see cref="TestTokens"/>.
/// </summary>
public sealed class NotesHost : IAsyncDisposable
{
    private readonly NotesStore _storage;

    /// <param name="storage">Where the notes live; hosts given the same storage are replicas of one service.</param>
    /// <param name="configure">Changes to the host's services after the service defaults, as a test needs them.</param>
    /// <param name="settings">Configuration added to (or replacing) the host's defaults below.</param>
    public NotesHost(NotesStore storage, bool rabbitMq = false, bool testHarness = true, Action<IServiceCollection>? configure = null,
        IDictionary<string, string?>? settings = null)
    {
        _storage = storage;
        var store = storage.Store;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // Kept in memory, so a test can say what an operator would find in the logs.
        builder.Logging.AddFakeLogging();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = store.ToString(),
            ["Database:DataDirectory"] = storage.DataDirectory,
            ["ConnectionStrings:notes"] = store == Store.Postgres ? RealServers.PostgresDatabase(storage.Database) : "",
            ["Messaging:Transport"] = rabbitMq ? "RabbitMq" : "InMemory",
            // A virtual host of the storage's own, never the broker's default one that other runs share.
            ["ConnectionStrings:rabbitmq"] = rabbitMq ? storage.RabbitMq : "",
            ["Messaging:RetryIntervals:0"] = "00:00:00.050",
            ["Messaging:RedeliveryIntervals:0"] = "00:00:00.200",
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:PublishTimeout"] = "00:00:02",
            ["Outbox:MaxBackoff"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddServiceDefaults(new NotesModule());
        if (testHarness)
        {
            builder.Services.AddMassTransitTestHarness();
        }
        TestTokens.TrustTestIssuer(builder.Services);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        // Mapping the health checks creates the bus here, in the test's own flow, where MassTransit keeps its log
        // context in an async-local: a host made earlier in the same test left its own (disposed) logger factory there.
        LogContext.ConfigureCurrentLogContext(app.Services.GetRequiredService<ILoggerFactory>());
        app.MapServiceDefaults();
        Host = app;
    }

    public WebApplication Host { get; }

    /// <summary>A client of the notes service's API acting as <paramref name="role"/> within <paramref name="division"/> (none: anonymous).</summary>
    public HttpClient CreateClient(string? role = null, string division = "321324")
    {
        var client = Host.GetTestClient();
        return role is null ? client : client.WithToken(TestTokens.Create(role, division));
    }

    public ITestHarness Harness => Host.Services.GetTestHarness();

    /// <summary>Everything the host logged at <see cref="LogLevel.Error"/> or above.</summary>
    public IReadOnlyList<string> Errors =>
        [.. Host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Category}: {r.Message}")];

    public Task StartAsync() => Host.StartAsync();

    /// <summary>A fresh DbContext in its own scope, as a request would get.</summary>
    public async Task<T> WithDbAsync<T>(Func<NotesDbContext, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotesDbContext>());
    }

    public Task<int> TalliesAsync(Guid eventId) => WithDbAsync(db => db.Tallies.CountAsync(t => t.EventId == eventId));

    public Task<long?> SentAtAsync(Guid eventId) =>
        WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == eventId).Select(m => m.SentAt).SingleAsync());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>A notes database of its own (a SQLite folder or a PostgreSQL database), removed at the end.</summary>
public sealed class NotesStore(Store store) : IAsyncDisposable
{
    public Store Store { get; } = store;
    public string Database { get; } = RealServers.UniqueName("pm_notes");
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "practicemesh-tests", Guid.NewGuid().ToString("N"));

    private string? _virtualHost;
    private string? _rabbitMq;

    /// <summary>
    /// The broker address of a virtual host made for this storage on first use (replicas of one service share it),
    /// deleted with the storage. Made on a pool thread: the host is built in a constructor.
    /// </summary>
    public string RabbitMq => _rabbitMq ??= Task.Run(() =>
    {
        _virtualHost = RealServers.UniqueName("pm_notes");
        return RealServers.CreateRabbitMqVirtualHostAsync(_virtualHost);
    }).GetAwaiter().GetResult();

    /// <summary>A DbContext outside any host: writes as a process that then died would have left them.</summary>
    public NotesDbContext OpenContext()
    {
        var options = new DbContextOptionsBuilder<NotesDbContext>();
        if (Store == Store.Postgres)
        {
            options.UseNpgsql(RealServers.PostgresDatabase(Database));
        }
        else
        {
            options.UseSqlite($"Data Source={Path.Combine(DataDirectory, "notes.db")}");
        }
        return new NotesDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_virtualHost is not null)
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(_virtualHost);
        }
        if (Store == Store.Postgres)
        {
            await RealServers.DropDatabaseAsync(Database);
        }
        else if (Directory.Exists(DataDirectory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
