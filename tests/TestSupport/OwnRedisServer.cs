using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PracticeMesh.TestSupport;

/// <summary>
/// A redis-server of the test's own on a free loopback port, with nothing saved to disk, for tests that take Redis
/// away: <see cref="Kill"/> stops it the hard way (as a crash or a lost node would), <see cref="StartAsync"/> brings it
/// back on the same port. The shared Redis on 6379 is never touched.
/// </summary>
public sealed class OwnRedisServer : IAsyncDisposable
{
    private Process? _process;

    private OwnRedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>For <c>ConnectionStrings:redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<OwnRedisServer> StartNewAsync()
    {
        var server = new OwnRedisServer(FreePort());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (or starts again) the server on <see cref="Port"/>; returns once it answers PING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server).");
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning" })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        // Drain its output so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await AnswersPingAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited with code {process.ExitCode}.");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within 10 s.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server (SIGKILL) and waits until it is gone: its clients see their connections drop.</summary>
    public void Kill()
    {
        if (_process is not { } process)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>Whether the server answers PING now (one short TCP exchange).</summary>
    public async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
