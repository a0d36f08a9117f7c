using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetworkCollection
{
    public const string Name = "watches every connection of the process";
}

/// <summary>
/// County networks are often closed, and a government system reports nothing to third parties unless told to: a
/// service that starts and stops reaches only the servers it was configured with. The runtime's own networking
/// events are watched (every HTTP request, name lookup and socket connect of the process, whoever makes it), so a
/// library calling home through any HttpClient or socket is seen even when the closed network makes it fail. The
/// collection runs alone, so the only connections are the host's.
/// </summary>
[Collection(NetworkCollection.Name)]
public class OutboundConnectionTests
{
    [Fact]
    public async Task A_service_that_starts_and_stops_connects_to_its_configured_servers_only()
    {
        await using var storage = new NotesStore(Store.Postgres);
        using var watch = new NetworkWatch();
        // MassTransit reports its usage at least 30 seconds after the start; if still enabled, this makes it report at the
        // stop instead, within the test. When it reports is all this changes: whether it may is the host's business.
        await using (var host = new NotesHost(storage, rabbitMq: true, testHarness: false,
            configure: services => services.Configure<MassTransit.UsageTelemetryOptions>(o => o.ReportOnShutdown = true)))
        {
            await host.StartAsync();
            var message = await host.WithDbAsync(db => db.AddNoteAsync("nothing leaves the county"));
            await HttpAssertions.EventuallyAsync<string>(async () => await host.TalliesAsync(message.EventId) == 1 ? "consumed" : null,
                "the event to go through the broker");
        }

        var destinations = watch.Destinations;
        // The watch works: the database and the broker were seen.
        Assert.Contains(destinations, d => d.EndsWith(":5432", StringComparison.Ordinal));
        Assert.Contains(destinations, d => d.EndsWith(":5672", StringComparison.Ordinal));
        Assert.All(destinations, d => Assert.True(NetworkWatch.IsLoopback(d), $"connected to {d}; every destination: {string.Join(", ", destinations)}"));
    }

    /// <summary>Records the destination of every HTTP request, DNS lookup and socket connect in this process.</summary>
    private sealed class NetworkWatch : EventListener
    {
        private readonly ConcurrentQueue<string> _destinations = new();

        public IReadOnlyList<string> Destinations => [.. _destinations.Distinct()];

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name is "System.Net.Http" or "System.Net.NameResolution" or "System.Net.Sockets")
            {
                EnableEvents(source, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventSource.Name, e.EventName)
            {
                case ("System.Net.Http", "RequestStart"):
                    _destinations.Enqueue($"{Payload(e, "host")}:{Payload(e, "port")}");
                    break;
                case ("System.Net.NameResolution", "ResolutionStart"):
                    _destinations.Enqueue($"{Payload(e, "hostNameOrAddress")}:dns");
                    break;
                case ("System.Net.Sockets", "ConnectStart"):
                    _destinations.Enqueue(SocketDestination(Payload(e, "address")));
                    break;
            }
        }

        private static string Payload(EventWrittenEventArgs e, string name)
        {
            var index = e.PayloadNames?.IndexOf(name) ?? -1;
            return index >= 0 ? e.Payload?[index]?.ToString() ?? "" : "";
        }

        /// <summary>The socket event gives the address as <c>SocketAddress.ToString()</c>: "Family:Size:{b0,b1,...}".</summary>
        private static string SocketDestination(string address)
        {
            var parts = address.Split(':', 3);
            if (parts.Length < 3)
            {
                return address;
            }
            // The bytes after the family: port (2), then the IPv4 address (4), or the flow info (4) and the IPv6 address (16).
            var bytes = parts[2].Trim('{', '}').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(b => byte.Parse(b.Trim())).ToArray();
            var port = bytes.Length >= 2 ? (bytes[0] << 8) | bytes[1] : 0;
            return parts[0] switch
            {
                "InterNetwork" when bytes.Length >= 6 => $"{new IPAddress(bytes[2..6])}:{port}",
                "InterNetworkV6" when bytes.Length >= 22 => $"[{new IPAddress(bytes[6..22])}]:{port}",
                "Unix" => "unix:local",
                _ => address,
            };
        }

        public static bool IsLoopback(string destination)
        {
            if (destination.StartsWith("unix:", StringComparison.Ordinal))
            {
                return true;
            }
            var host = destination[..destination.LastIndexOf(':')].Trim('[', ']');
            return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        }
    }
}
