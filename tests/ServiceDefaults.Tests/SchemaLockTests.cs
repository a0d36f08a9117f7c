using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>PostgreSQL replicas that start together migrate their database once, whichever process they are.</summary>
public partial class SchemaLockTests
{
    /// <summary>
    /// Two OS processes, not two hosts in this one: the lock's key must be the same in every process, and a key that
    /// differs per process (a randomised string hash) is the same for two hosts of one process, so only separate
    /// processes can show it. They are the real stations service, built beside this test, with its real migrations.
    /// </summary>
    [Fact]
    public async Task Two_processes_starting_on_one_empty_database_both_start_and_apply_each_migration_once()
    {
        var database = RealServers.UniqueName("pm_schema_race");
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__stations"] = RealServers.PostgresDatabase(database),
            ["Messaging__Transport"] = "InMemory",
            ["ConnectionStrings__redis"] = "",
        };
        try
        {
            await using (var first = ServiceProcess.Start($"{database}-1", "services/Stations", "PracticeMesh.Stations", environment))
            await using (var second = ServiceProcess.Start($"{database}-2", "services/Stations", "PracticeMesh.Stations", environment))
            {
                await Task.WhenAll(first.WaitUntilReadyAsync(TimeSpan.FromMinutes(2)), second.WaitUntilReadyAsync(TimeSpan.FromMinutes(2)));
            }

            await using var connection = new NpgsqlConnection(RealServers.PostgresDatabase(database));
            await connection.OpenAsync();
            var history = await QueryAsync(connection, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"");
            var migrationsDirectory = Path.Combine(ServiceProcess.RepositoryRoot, "services/Stations/Data/Migrations");
            var migrations = Directory.GetFiles(migrationsDirectory, "*_*.cs")
                .Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal))
                .Select(Path.GetFileNameWithoutExtension).Order().ToList();
            Assert.Equal(migrations, history.Order());

            // Every table and column of the service's model, and nothing else.
            var columns = await QueryAsync(connection, """
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
                """);
            var snapshot = await File.ReadAllTextAsync(Directory.GetFiles(migrationsDirectory, "*ModelSnapshot.cs").Single());
            Assert.Equal(ModelColumns(snapshot).Order(), columns.Order());
        }
        finally
        {
            await RealServers.DropDatabaseAsync(database);
        }
    }

    /// <summary>
    /// The key is fixed by the context's name, so a replica of another version waits for it too (a rolling upgrade
    /// migrates once): a start finds the lock held and waits until it is released.
    /// </summary>
    [Fact]
    public async Task A_start_waits_while_another_process_holds_the_schema_lock()
    {
        await using var storage = new NotesStore(Store.Postgres);
        await using (var first = new NotesHost(storage))
        {
            // Makes the database, so the lock below can be taken in it.
            await first.StartAsync();
        }
        var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("PracticeMesh schema " + typeof(NotesDbContext).FullName)));
        await using var holder = new NpgsqlConnection(RealServers.PostgresDatabase(storage.Database));
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        await using var host = new NotesHost(storage);
        var start = host.StartAsync();
        await HttpAssertions.EventuallyAsync<string>(async () =>
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                holder);
            return (long)(await waiting.ExecuteScalarAsync())! > 0 ? "waiting" : null;
        }, "the start to wait for the schema lock");
        Assert.False(start.IsCompleted);

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({key})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        await start.WaitAsync(TimeSpan.FromSeconds(60));
        // The lock is released once the schema work is done: nothing holds or waits for it any more.
        await using var left = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            holder);
        Assert.Equal(0L, (long)(await left.ExecuteScalarAsync())!);
    }

    private static async Task<List<string>> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    /// <summary>"table.column" for every property of every entity mapped to a table in a model snapshot.</summary>
    private static IEnumerable<string> ModelColumns(string snapshot)
    {
        foreach (var entity in snapshot.Split("modelBuilder.Entity(\"").Skip(1))
        {
            if (TableName().Match(entity) is not { Success: true } table)
            {
                continue;
            }
            foreach (Match property in PropertyChain().Matches(entity))
            {
                var column = ColumnName().Match(property.Value);
                yield return $"{table.Groups[1].Value}.{(column.Success ? column.Groups[1].Value : property.Groups[1].Value)}";
            }
        }
    }

    [GeneratedRegex(@"b\.ToTable\(""([^""]+)""")]
    private static partial Regex TableName();

    [GeneratedRegex(@"b\.Property<[^(]+>\(""([^""]+)""\)[^;]*;")]
    private static partial Regex PropertyChain();

    [GeneratedRegex(@"\.HasColumnName\(""([^""]+)""\)")]
    private static partial Regex ColumnName();
}
