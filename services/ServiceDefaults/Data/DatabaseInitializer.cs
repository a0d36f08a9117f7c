using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>Completes once the context's schema exists, for start-up work that needs it without waiting for the rest.</summary>
public sealed class DatabaseSchema<TContext> where TContext : ServiceDbContext
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    internal void Succeeded() => _ready.TrySetResult();

    internal void Failed(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            _ready.TrySetCanceled();
        }
        else
        {
            _ready.TrySetException(exception);
        }
    }
}

internal static class PostgresDatabases
{
    /// <summary>A process creates its PostgreSQL databases one at a time: concurrent CREATE DATABASE fail on the shared template.</summary>
    public static readonly SemaphoreSlim Creating = new(1, 1);
}

/// <summary>
/// Creates the service's schema on start, before the bus and the relay run: PostgreSQL through the service's
/// migrations (so a new version upgrades a database in place), SQLite (the standalone host's files) from the model.
/// PostgreSQL replicas starting together serialise on an advisory lock so only one migrates. Every context's schema starts at once
/// (in StartingAsync, on the thread pool) and each is awaited in its turn (StartAsync), so a host of several
/// services builds their models side by side while hosted services still start in order.
/// </summary>
internal sealed class DatabaseInitializer<TContext>(IServiceScopeFactory scopes, DatabaseSchema<TContext> schema, ILogger<DatabaseInitializer<TContext>> logger)
    : EarlyStartedService where TContext : ServiceDbContext
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeWithRetriesAsync(cancellationToken);
            schema.Succeeded();
        }
        catch (Exception ex)
        {
            schema.Failed(ex);
            throw;
        }
    }

    private async Task InitializeWithRetriesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var attempts = 0;
        while (true)
        {
            try
            {
                await InitializeAsync(db, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SqliteException && ++attempts < 30 && !cancellationToken.IsCancellationRequested)
            {
                // The database may still be starting (a pod's first seconds): wait and try again.
                logger.LogWarning(ex, "Database for {Context} not ready (attempt {Attempt}); retrying", typeof(TContext).Name, attempts);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private async Task InitializeAsync(TContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await PostgresDatabases.Creating.WaitAsync(cancellationToken);
            try
            {
                await EnsurePostgresDatabaseAsync(db, cancellationToken);
            }
            finally
            {
                PostgresDatabases.Creating.Release();
            }
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var lockKey = typeof(TContext).FullName!.GetHashCode(StringComparison.Ordinal);
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
                if (db.Database.GetMigrations().Any())
                {
                    await AdoptSchemaWithoutHistoryAsync(db, cancellationToken);
                    await db.Database.MigrateAsync(cancellationToken);
                }
                else
                {
                    // A context without migrations (a test's own) gets its tables from the model, once.
                    await CreateTablesAsync(db, cancellationToken);
                }
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        else
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            // WAL lets readers run beside the one writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        logger.LogInformation("Schema of {Context} is ready", typeof(TContext).Name);
    }

    private static async Task EnsurePostgresDatabaseAsync(TContext db, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var database = builder.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no database.");
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it first.
        }
    }

    private static async Task CreateTablesAsync(TContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.HasTablesAsync(cancellationToken))
        {
            await creator.CreateTablesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A database whose tables were created from the model before the service had migrations (no history table)
    /// is recorded as being at the first migration, which creates exactly those tables; later migrations then apply.
    /// </summary>
    private async Task AdoptSchemaWithoutHistoryAsync(TContext db, CancellationToken cancellationToken)
    {
        // Asked in SQL: the history repository would remember "no table" for the migration that follows.
        var hasHistory = await db.Database.SqlQuery<bool>($"SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (hasHistory || !await db.GetService<IRelationalDatabaseCreator>().HasTablesAsync(cancellationToken))
        {
            return;
        }
        var history = db.GetService<IHistoryRepository>();
        var first = db.Database.GetMigrations().First();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(first, ProductInfo.GetVersion())), cancellationToken);
        logger.LogWarning("The {Context} database had tables but no migration history: recorded as at {Migration}", typeof(TContext).Name, first);
    }
}
