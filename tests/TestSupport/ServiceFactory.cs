using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace PracticeMesh.TestSupport;

/// <summary>
/// One service host (or the standalone host) under test: its own Program with a fresh SQLite folder, MassTransit's
/// in-memory test harness in place of the configured transport, no Redis, and a clock the test controls.
/// <typeparamref name="TEntryPoint"/> is any public type of the host's assembly (its module class).
/// </summary>
public class ServiceFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IAsyncLifetime where TEntryPoint : class
{
    private static readonly string[] ServiceNames = ["stations", "volunteers", "activities", "grid", "assessment"];

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "practicemesh-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Starts at a fixed Wednesday morning in China (2026-03-04 09:00 +08:00); tests advance it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero));

    public ITestHarness Harness => Services.GetTestHarness();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = DataDirectory,
            ["Messaging:Transport"] = "InMemory",
            ["ConnectionStrings:redis"] = "",
            ["ConnectionStrings:rabbitmq"] = "",
            ["Demo:Load"] = "false",
            ["Outbox:PollInterval"] = "00:00:00.100",
        };
        foreach (var service in ServiceNames)
        {
            settings[$"ConnectionStrings:{service}"] = "";
        }
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddMassTransitTestHarness();
        });
    }

    public async Task InitializeAsync()
    {
        _ = Server;
        await Harness.Start();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
