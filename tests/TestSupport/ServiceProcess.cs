using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PracticeMesh.TestSupport;

/// <summary>One built host (a service, the gateway or the standalone host) running as its own process, as it would in production.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log, Uri address)
    {
        Name = name;
        _process = process;
        _log = log;
        Address = address;
    }

    public string Name { get; }
    public Uri Address { get; }
    /// <summary>The host's process id (benchmarks read its CPU time).</summary>
    public int ProcessId => _process.Id;
    public string LogFile => Path.Combine(LogDirectory, Name + ".log");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();
    public static string LogDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "process-logs");

    /// <param name="projectDirectory">Relative to the repository root, e.g. "services/Stations".</param>
    public static ServiceProcess Start(string name, string projectDirectory, string assemblyName, IDictionary<string, string> environment, Uri? address = null)
    {
        address ??= NewAddress();
        // The test assembly's own build configuration (Debug or Release) is the one the hosts were built in.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var directory = Path.Combine(RepositoryRoot, projectDirectory);
        var dll = Path.Combine(directory, "bin", configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; build the solution first.");
        }
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Urls, not ASPNETCORE_URLS: the hosts' appsettings.json name a default port, and app settings outrank host settings.
        info.Environment["Urls"] = address.ToString();
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        Directory.CreateDirectory(LogDirectory);
        var log = new StreamWriter(Path.Combine(LogDirectory, name + ".log"), append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, log, address);
    }

    /// <summary>Waits until /health/ready answers 200, failing with the process's log if it exits or takes too long.</summary>
    /// <param name="poll">How often to ask; start-up benchmarks ask often so the wait adds little to what they time.</param>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, TimeSpan? poll = null)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
        }
        throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Tail()}");
    }

    public string Tail(int lines = 40)
    {
        lock (_log)
        {
            _log.Flush();
        }
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>A loopback address on a port free right now, for a process that needs its address known before it starts.</summary>
    public static Uri NewAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PracticeMesh.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("PracticeMesh.sln not found above the test folder.");
    }
}
