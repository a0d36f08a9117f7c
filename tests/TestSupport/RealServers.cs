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

    /// <summary>Stops the broker's application (the Erlang node stays up) as an outage would.</summary>
    public static Task StopRabbitMqAsync() => RabbitMqCtlAsync("stop_app");

    public static async Task StartRabbitMqAsync()
    {
        await RabbitMqCtlAsync("start_app");
        await RabbitMqCtlAsync("await_startup");
    }

    /// <summary>
    /// A virtual host of its own on the local broker, open to the connection string's user: a run's exchanges and
    /// queues then meet no one else's (platforms running at once would otherwise take each other's events off queues
    /// of the same name). Returns its connection string; a broker named by PRACTICEMESH_TEST_RABBITMQ is used as it is.
    /// </summary>
    public static async Task<string> CreateRabbitMqVirtualHostAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") is not null)
        {
            return RabbitMq;
        }
        var user = Uri.UnescapeDataString(new Uri(RabbitMq).UserInfo.Split(':')[0]);
        await RabbitMqCtlAsync("add_vhost", name);
        await RabbitMqCtlAsync("set_permissions", "-p", name, user, ".*", ".*", ".*");
        return new UriBuilder(RabbitMq) { Path = "/" + Uri.EscapeDataString(name) }.Uri.ToString();
    }

    /// <summary>Deletes a virtual host and with it every exchange, queue and message in it.</summary>
    public static Task DeleteRabbitMqVirtualHostAsync(string name) =>
        Environment.GetEnvironmentVariable("PRACTICEMESH_TEST_RABBITMQ") is null ? RabbitMqCtlAsync("delete_vhost", name) : Task.CompletedTask;

    /// <summary>
    /// Every queue of a virtual host with the messages the broker holds for it: ready (waiting for a consumer) and
    /// unacknowledged (delivered, not yet settled). Read with rabbitmqctl, as the broker's AMQP side reports only the
    /// ready count and the management plugin is not installed. A virtual host that does not exist is an error, never
    /// an empty answer: a check against the wrong virtual host must not pass.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, QueueCounts>> QueueCountsAsync(string virtualHost)
    {
        // rabbitmqctl answers an unknown virtual host with no queues and success.
        var virtualHosts = await RabbitMqCtlAsync("list_vhosts", "--no-table-headers", "name");
        if (!virtualHosts.Split('\n', StringSplitOptions.TrimEntries).Contains(virtualHost, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"The broker has no virtual host {virtualHost}.");
        }
        var output = await RabbitMqCtlAsync("list_queues", "-p", virtualHost, "--no-table-headers", "name", "messages_ready", "messages_unacknowledged");
        var queues = new Dictionary<string, QueueCounts>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t', StringSplitOptions.TrimEntries);
            if (columns.Length == 3 && long.TryParse(columns[1], out var ready) && long.TryParse(columns[2], out var unacknowledged))
            {
                queues[columns[0]] = new QueueCounts(ready, unacknowledged);
            }
        }
        return queues;
    }

    private static async Task<string> RabbitMqCtlAsync(params string[] command)
    {
        var info = new ProcessStartInfo("rabbitmqctl", ["-q", .. command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', command)} failed ({process.ExitCode}): {await stderr}");
        }
        return await stdout;
    }
}

/// <summary>What the broker holds for one queue.</summary>
/// <param name="Ready">Messages waiting for a consumer.</param>
/// <param name="Unacknowledged">Messages delivered to a consumer and not yet acknowledged.</param>
public readonly record struct QueueCounts(long Ready, long Unacknowledged)
{
    public bool IsEmpty => Ready == 0 && Unacknowledged == 0;
}
