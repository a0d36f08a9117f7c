using System.Diagnostics;
using Npgsql;

namespace PracticeMesh.TestSupport;

/// <summary>
/// The real PostgreSQL, RabbitMQ and Redis that deploy/local/start.sh starts on loopback (the test command runs it
/// first). Each can be pointed elsewhere with an environment variable.
/// </summary>
public static class RealServers
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_POSTGRES") ?? "Host=127.0.0.1;Username=practicemesh;Password=practicemesh";

    public static string RabbitMq =>
        Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";

    public static string Redis => Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_REDIS") ?? "127.0.0.1:6379";

    /// <summary>A connection string for a database of its own, which the service creates on start.</summary>
    public static string PostgresDatabase(string name) => $"{PostgresServer};Database={name}";

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    /// <summary>Drops test databases when the test is done; leftovers of a killed run are harmless.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        NpgsqlConnection.ClearAllPools();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A virtual host of its own on the local broker, so platforms that run at once (other worktrees, other test
    /// runs) never take each other's messages off the queues they would otherwise share by name. Returns the
    /// connection string for it; a broker named by PRACTICEMESH_TEST_RABBITMQ is used as it is.
    /// </summary>
    public static async Task<string> RabbitMqVirtualHostAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") is not null)
        {
            return RabbitMq;
        }
        await RabbitMqCtlAsync("add_vhost", name);
        await RabbitMqCtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return RabbitMq + Uri.EscapeDataString(name);
    }

    public static async Task DeleteRabbitMqVirtualHostAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") is null)
        {
            await RabbitMqCtlAsync("delete_vhost", name);
        }
    }

    /// <summary>Stops the broker's application (the Erlang node stays up) as an outage would.</summary>
    public static Task StopRabbitMqAsync() => RabbitMqCtlAsync("stop_app");

    public static async Task StartRabbitMqAsync()
    {
        await RabbitMqCtlAsync("start_app");
        await RabbitMqCtlAsync("await_startup");
    }

    private static async Task RabbitMqCtlAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo("rabbitmqctl", ["-q", command, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
