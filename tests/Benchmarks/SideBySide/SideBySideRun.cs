using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>What every comparison of one run shares: its length, and the platform when a comparison needs one.</summary>
public sealed class SideBySideRun
{
    public const string County = "321324";
    public const int Townships = 4;
    public const int StationsPerTownship = 16;

    private ProcessPlatform? _platform;
    private string? _adminToken;

    /// <summary>The short mode: fewer, shorter rounds (the whole run under 3 minutes), to prove the command works.</summary>
    public required bool Quick { get; init; }

    /// <summary>How many times each side runs, interleaved with the other sides.</summary>
    public int Rounds => Quick ? 2 : 5;

    /// <summary>How long one side runs in one round.</summary>
    public TimeSpan PerSide => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);

    /// <summary>
    /// Identity, stations, volunteers, activities, assessment and the gateway as Release processes on fresh
    /// PostgreSQL databases, RabbitMQ and Redis, with a county of <see cref="Townships"/> townships of
    /// <see cref="StationsPerTownship"/> village stations imported through the gateway.
    /// </summary>
    public ProcessPlatform Platform => _platform ?? throw new InvalidOperationException("The platform is not started.");

    /// <summary>A county admin's access token (valid for an hour: longer than any run).</summary>
    public string AdminToken => _adminToken ?? throw new InvalidOperationException("The platform is not started.");

    /// <summary>The volunteers service's data key, so benchmarks can seed volunteers with real encrypted personal data.</summary>
    public byte[] VolunteersDataKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The village stations of the imported county.</summary>
    public IReadOnlyList<string> Villages { get; private set; } = [];

    public HttpClient Admin() => Platform.CreateClient().WithToken(AdminToken);

    public async Task StartPlatformAsync()
    {
        _platform = new ProcessPlatform("pm_bench", ["identity", "stations", "volunteers", "activities", "assessment"])
        {
            ConfigureService = (service, environment) =>
            {
                if (service == "volunteers")
                {
                    environment["Volunteers__DataKey"] = Convert.ToBase64String(VolunteersDataKey);
                }
            },
            // One client from one address sends everything here; the limits are for real clients.
            GatewaySettings = new Dictionary<string, string>
            {
                ["Gateway__RateLimiting__PerIpPermitsPerMinute"] = "100000000",
                ["Gateway__RateLimiting__PerClientPermitsPerMinute"] = "100000000",
            },
        };
        await _platform.StartAsync();
        using var client = _platform.CreateClient();
        _adminToken = await PlatformTokens.PasswordAsync(client, "county.admin", PlatformTokens.DemoPassword);
        using var admin = Admin();
        Villages = await ImportCountyAsync(admin);
    }

    public async Task StopPlatformAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
            _platform = null;
        }
    }

    /// <summary>Imports a county through the stations API (all or nothing) and returns its village stations' codes.</summary>
    public static async Task<List<string>> ImportCountyAsync(HttpClient admin, int townships = Townships, int stationsPerTownship = StationsPerTownship)
    {
        var csv = new StringBuilder("code,name,kind\n");
        csv.Append($"{County},泗洪县新时代文明实践中心,CountyCentre\n");
        var villages = new List<string>();
        for (var t = 1; t <= townships; t++)
        {
            var township = $"{County}{100 + t}";
            csv.Append($"{township},第{t}镇新时代文明实践所,Institute\n");
            for (var v = 1; v <= stationsPerTownship; v++)
            {
                villages.Add($"{township}{200 + v:000}");
                csv.Append($"{villages[^1]},第{t}镇第{v}村新时代文明实践站,Village\n");
            }
        }
        using var content = new StringContent(csv.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var imported = await admin.PostAsync("/api/v1/stations/import", content);
        if (!imported.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import answered {(int)imported.StatusCode}: {await imported.Content.ReadAsStringAsync()}");
        }
        return villages;
    }
}
