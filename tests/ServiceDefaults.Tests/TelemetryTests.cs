using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    // Activity listeners are process-wide: alone, so every span recorded is this host's.
    public const string Name = "telemetry";
}

/// <summary>
/// A host of modules traces what the web basics do not know about (the gateway carries none of it): its database commands
/// (EF Core, Npgsql) and its bus messages (MassTransit), so an operator's collector sees a request through to the event.
/// </summary>
[Collection(TelemetryCollection.Name)]
public class TelemetryTests
{
    [Fact]
    public async Task A_host_of_modules_traces_its_database_commands_and_its_bus_messages()
    {
        var spans = new ConcurrentQueue<Activity>();
        await using var storage = new NotesStore(Store.Postgres);
        await using var host = new NotesHost(storage, configure: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            // Recorded as with an OTLP endpoint configured, and kept here rather than exported.
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new Capture(spans))));
        await host.StartAsync();

        var message = await host.WithDbAsync(db => db.AddNoteAsync("宣讲"));
        await HttpAssertions.EventuallyAsync<string>(async () => await host.TalliesAsync(message.EventId) > 0 ? "tallied" : null,
            $"event {message.EventId} to be consumed");

        var sources = spans.Select(s => s.Source.Name).Distinct().Order().ToList();
        Assert.True(sources.Contains("Npgsql"), $"No Npgsql span among {string.Join(", ", sources)}.");
        Assert.True(sources.Any(s => s.Contains("EntityFrameworkCore", StringComparison.Ordinal)), $"No EF Core span among {string.Join(", ", sources)}.");
        Assert.True(sources.Contains("MassTransit"), $"No MassTransit span among {string.Join(", ", sources)}.");
    }

    private sealed class Capture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
