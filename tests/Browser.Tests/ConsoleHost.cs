using PracticeMesh.TestSupport;

namespace PracticeMesh.Browser.Tests;

/// <summary>
/// The standalone host exactly as the README runs it (demo county loaded), in its own process with its own data
/// folder, serving the console at / — one per test class.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "practicemesh-browser", Guid.NewGuid().ToString("N"));
    private ServiceProcess? _host;

    public ServiceProcess Host => _host ?? throw new InvalidOperationException("The standalone host did not start.");

    public Uri Address => Host.Address;

    /// <summary>A client of the host's API, signed in as a demo person (for arranging what a journey needs).</summary>
    public async Task<HttpClient> ApiAsync(string userName, string password = PlatformTokens.DemoPassword)
    {
        var client = new HttpClient { BaseAddress = Host.Address, Timeout = TimeSpan.FromSeconds(30) };
        return client.WithToken(await PlatformTokens.PasswordAsync(client, userName, password));
    }

    public async Task InitializeAsync()
    {
        // 127.0.0.1 rather than localhost: the browser and the host agree on one address, which is the tokens' issuer
        // and where identity sends the console's sign-in codes.
        var address = ServiceProcess.NewAddress();
        _host = ServiceProcess.Start("standalone-console", "services/Standalone", "PracticeMesh.Standalone", new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = _dataDirectory,
            ["Demo__Load"] = "true",
        }, address);
        await Host.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        // The demo county is loaded through the API once the host is up; journeys start from all of it.
        await HttpAssertions.EventuallyAsync(() => Task.FromResult(Host.Tail(400).Contains("demo county loaded") ? "loaded" : null),
            "the standalone host to load the demo county", TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
