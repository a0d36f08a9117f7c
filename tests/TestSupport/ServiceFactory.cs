using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PracticeMesh.ServiceDefaults.Security;
using Xunit;

namespace PracticeMesh.TestSupport;

/// <summary>
/// One service host (or the standalone host) under test: its own Program with a fresh SQLite folder, MassTransit's
/// in-memory test harness in place of the configured transport, no Redis, and a clock the test controls.
/// <typeparamref name="TEntryPoint"/> is any public type of the host's assembly (its module class).
/// </summary>
public class ServiceFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IAsyncLifetime where TEntryPoint : class
{
    private static readonly string[] ServiceNames = ["stations", "volunteers", "activities", "grid", "assessment", "identity"];

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
            ["Volunteers:UseDevelopmentKey"] = "true",
            ["Activities:UseDevelopmentKey"] = "true",
        };
        foreach (var service in ServiceNames)
        {
            settings[$"ConnectionStrings:{service}"] = "";
        }
        // UseSetting, not ConfigureAppConfiguration: a minimal-hosting Program sees the latter only after
        // builder.Build(), too late for AddServiceDefaults, which would read the service's appsettings.json.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddMassTransitTestHarness();
            // Tokens from the test issuer, validated for real: signature, issuer, audience and lifetime.
            TestTokens.TrustTestIssuer(services);
        });
    }

    /// <summary>
    /// Waits for a matching published event. Polls the harness's list rather than awaiting
    /// <c>Harness.Published.Any</c>, which answers false at once if the harness went idle before the outbox relay ran.
    /// </summary>
    public Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class =>
        HttpAssertions.EventuallyAsync(
            () => Task.FromResult(Harness.Published.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault()),
            $"{typeof(T).Name} to be published");

    /// <summary>Waits until <paramref name="count"/> matching messages were consumed without error.</summary>
    public Task ConsumedAsync<T>(Func<T, bool> match, int count = 1) where T : class =>
        HttpAssertions.EventuallyAsync(
            () => Task.FromResult<object?>(Harness.Consumed.Select<T>(x => x.Exception is null && match(x.Context.Message)).Count() >= count ? count : null),
            $"{count} {typeof(T).Name} to be consumed");

    /// <summary>Clients act as the county admin of 321324 unless a test asks for someone else.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken(TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324"));
    }

    /// <summary>A client acting as <paramref name="role"/> within <paramref name="division"/>.</summary>
    public HttpClient CreateClient(string role, string division, IEnumerable<string>? scopes = null) =>
        CreateClient().WithToken(TestTokens.Create(role, division, scopes));

    /// <summary>A client with no token at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
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
