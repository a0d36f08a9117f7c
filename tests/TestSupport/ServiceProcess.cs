using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PracticeMesh.TestSupport;

/// <summary>One built host (a service, the gateway or the standalone host) running as its own process, as it would in production.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>
    /// The log files of the processes running now: two of one name at once (test classes run side by side, each with
    /// its own host) each get a file of their own, so one never reads the other's lines as its own.
    /// </summary>
    private static readonly HashSet<string> OpenLogs = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _logName;

    private ServiceProcess(string name, string logName, Process process, StreamWriter log, Uri address)
    {
        Name = name;
        _logName = logName;
        _process = process;
        _log = log;
        Address = address;
    }

    public string Name { get; }
    public Uri Address { get; }
    /// <summary>The host's process id (benchmarks read its CPU time).</summary>
    public int ProcessId => _process.Id;
    public string LogFile => Path.Combine(LogDirectory, _logName + ".log");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The test assembly's own build configuration (Debug or Release): the one the hosts were built in.</summary>
    public static string BuildConfiguration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
    public static string LogDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "process-logs");

    /// <param name="projectDirectory">Relative to the repository root, e.g. "services/Stations".</param>
    public static ServiceProcess Start(string name, string projectDirectory, string assemblyName, IDictionary<string, string> environment, Uri? address = null)
    {
        address ??= NewAddress();
        var directory = Path.Combine(RepositoryRoot, projectDirectory);
        var dll = Path.Combine(directory, "bin", BuildConfiguration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; build the solution first.");
        }
        var settings = new Dictionary<string, string>
        {
            // As a container or tye gives it: the hosts' settings name no address of their own.
            ["ASPNETCORE_URLS"] = address.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }
        // The project folder is the content root, where appsettings.json lives (it is kept out of bin/).
        return Launch(name, dll, directory, settings, inherit: true, address);
    }

    /// <summary>
    /// A host from its published output (what a container image holds), run from that folder with exactly
    /// <paramref name="environment"/>: nothing of the test process's own environment reaches it but what the dotnet
    /// host itself needs (PATH, HOME, DOTNET_ROOT), as a container starts with only what its manifest gives it.
    /// </summary>
    /// <param name="address">Where its probes are asked; the environment must make it listen there.</param>
    public static ServiceProcess StartPublished(string name, string publishDirectory, string assemblyName, IReadOnlyDictionary<string, string> environment, Uri address)
    {
        var dll = Path.Combine(publishDirectory, assemblyName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not published.");
        }
        return Launch(name, dll, publishDirectory, environment, inherit: false, address);
    }

    private static ServiceProcess Launch(string name, string dll, string workingDirectory, IEnumerable<KeyValuePair<string, string>> environment, bool inherit, Uri address)
    {
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!inherit)
        {
            var kept = info.Environment.Where(e => e.Key is "PATH" or "HOME" or "TMPDIR" or "DOTNET_ROOT" or "DOTNET_CLI_HOME").ToList();
            info.Environment.Clear();
            foreach (var (key, value) in kept)
            {
                info.Environment[key] = value;
            }
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        Directory.CreateDirectory(LogDirectory);
        string logName;
        lock (OpenLogs)
        {
            logName = Enumerable.Range(1, int.MaxValue).Select(n => n == 1 ? name : $"{name}-{n}").First(OpenLogs.Add);
        }
        var log = new StreamWriter(Path.Combine(LogDirectory, logName + ".log"), append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, logName, process, log, address);
    }

    /// <summary>The exit code once the process has ended within <paramref name="timeout"/>; null while it still runs.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            // Wait for the output redirection to finish too, so Tail holds the last lines.
            await _process.WaitForExitAsync(CancellationToken.None);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, failing with the process's log if it exits or takes too long.</summary>
    public async Task WaitUntilAnswersAsync(string path, TimeSpan timeout, TimeSpan? poll = null)
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
                using var response = await http.GetAsync(path);
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
        throw new TimeoutException($"{Name} did not answer {path} with 200 within {timeout}:\n{Tail()}");
    }

    /// <summary>Waits until /health/ready answers 200, failing with the process's log if it exits or takes too long.</summary>
    /// <param name="poll">How often to ask; start-up benchmarks ask often so the wait adds little to what they time.</param>
    public Task WaitUntilReadyAsync(TimeSpan timeout, TimeSpan? poll = null) => WaitUntilAnswersAsync("/health/ready", timeout, poll);

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

    /// <summary>Kills the process as a crash would, mid-test; its log stays readable and DisposeAsync still cleans up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // A platform whose start failed disposes what it started, and its owner disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
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
        lock (OpenLogs)
        {
            OpenLogs.Remove(_logName);
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
