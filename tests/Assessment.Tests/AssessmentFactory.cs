using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>
/// <see cref="ServiceFactory{TEntryPoint}"/> whose test settings reach Program before it reads them. The base adds
/// them with ConfigureAppConfiguration, which a minimal-hosting Program sees only after <c>builder.Build()</c>:
/// too late for <c>AddServiceDefaults</c>, which would pick the service's appsettings.json (PostgreSQL, Redis) instead.
/// <c>UseSetting</c> values are passed to Program as host arguments, so they win from the start.
/// Drop this class once ServiceFactory itself uses UseSetting.
/// </summary>
public sealed class AssessmentFactory : ServiceFactory<AssessmentModule>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Messaging:Transport", "InMemory");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.100");
        foreach (var name in new[] { "redis", "rabbitmq", "stations", "volunteers", "activities", "grid", "assessment" })
        {
            builder.UseSetting($"ConnectionStrings:{name}", "");
        }
    }

    /// <summary>
    /// Waits for a matching published event. Polls rather than awaiting <c>Harness.Published.Any</c>, which was
    /// seen to return false at once when the harness had gone idle before the outbox relay published.
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
}
