using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
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

/// <summary>
/// The connection string a context was registered with, password included: a context built on a data source (a
/// provider plugin such as PostGIS's) reports its connection string without the password. <see cref="Template"/> is
/// the PostgreSQL template a missing database is created from (one holding an extension the service's role may not
/// create itself), or null for the server's default.
/// </summary>
public sealed record ServiceConnectionString<TContext>(string Value, string? Template = null) where TContext : ServiceDbContext;

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
internal sealed class DatabaseInitializer<TContext>(IServiceScopeFactory scopes, DatabaseSchema<TContext> schema, ServiceConnectionString<TContext> connectionString,
    ILogger<DatabaseInitializer<TContext>> logger)
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
                await EnsurePostgresDatabaseAsync(connectionString.Value, connectionString.Template, cancellationToken);
            }
            finally
            {
                PostgresDatabases.Creating.Release();
            }
            await using (await SchemaLock.TakeAsync(db, connectionString.Value, cancellationToken))
            {
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
            }
        }
        else
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            await UpgradeSqliteMessageTablesAsync(db, cancellationToken);
            // WAL lets readers run beside the one writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        logger.LogInformation("Schema of {Context} is ready", typeof(TContext).Name);
    }

    /// <summary>
    /// A SQLite file is made from the model once and never migrated: what the shared outbox and inbox tables gained
    /// since (dead rows, the upkeep's index) is added to a file made by an earlier version, so the relay can read it.
    /// </summary>
    private static async Task UpgradeSqliteMessageTablesAsync(TContext db, CancellationToken cancellationToken)
    {
        var hasDeadAt = await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM pragma_table_info('outbox_messages') WHERE name = 'dead_at'")
            .SingleAsync(cancellationToken) > 0;
        if (!hasDeadAt)
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE outbox_messages ADD COLUMN dead_at INTEGER NULL", cancellationToken);
        }
        await db.Database.ExecuteSqlRawAsync(
            "CREATE INDEX IF NOT EXISTS ix_outbox_dead ON outbox_messages (dead_at) WHERE dead_at IS NOT NULL", cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "CREATE INDEX IF NOT EXISTS ix_inbox_processed_at ON inbox_messages (processed_at)", cancellationToken);
    }

    private static async Task EnsurePostgresDatabaseAsync(string connectionString, string? template, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
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
            var from = template is null ? "" : $" TEMPLATE \"{template.Replace("\"", "\"\"")}\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"{from}", connection);
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

/// <summary>
/// The advisory lock that PostgreSQL replicas of one service take around their schema work, so one migrates and the
/// others find the work done. Its key is derived from the context's name by a fixed hash: every process, of any
/// version, computes the same key (<c>string.GetHashCode</c> is randomised per process, so replicas starting together
/// would each take a lock of their own). It is held on a connection of its own outside the pool and released when
/// disposed, whatever the schema work did: explicitly, and failing that by closing the session, since a pooled
/// connection (returned without a reset) would keep a lock left behind by an error.
/// </summary>
internal sealed class SchemaLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private SchemaLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    /// <summary>The lock's key for a context: the first 8 bytes of SHA-256 of its full type name.</summary>
    public static long KeyOf(Type context) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("PracticeMesh schema " + context.FullName)));

    /// <summary>Waits (without a command timeout: another replica may migrate for long) until this process holds the lock.</summary>
    public static async Task<SchemaLock> TakeAsync(DbContext db, string connectionString, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var key = KeyOf(db.GetType());
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection);
            command.Parameters.AddWithValue(key);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new SchemaLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            command.Parameters.AddWithValue(_key);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is unusable; closing it below ends it, and PostgreSQL releases its locks with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
