using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>
/// M1: <see cref="ActivityCompleted"/> published and consumed through MassTransit, configured by the services'
/// own AddServiceDefaults, against the same JSON through RabbitMQ.Client. Both sides publish persistent messages
/// with publisher confirms, keep the same number of publishes in flight and consume with the same prefetch and
/// manual acks, each in the run's own virtual host (deleted afterwards).
/// </summary>
public static class MessagingComparison
{
    /// <summary>Publishes awaiting their broker confirm at once, on each side.</summary>
    private const int InFlight = 32;

    /// <summary>A realistic completed activity: ten volunteers credited.</summary>
    private const int Participants = 10;

    /// <summary>The most messages one round can track; far above what the broker takes in a round here.</summary>
    private const int Capacity = 1 << 21;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<Finding>> RunAsync(SideBySideRun run)
    {
        var virtualHost = RealServers.UniqueName("pm_m1");
        var rabbit = await RealServers.CreateRabbitMqVirtualHostAsync(virtualHost);
        try
        {
            await using var massTransit = await MassTransitSide.StartAsync(rabbit);
            await using var raw = await RawSide.StartAsync(rabbit, massTransit.PrefetchCount);
            // Exchanges and queues declared and the JIT's tiers settled before the first measured round: after a 1 s
            // warm-up the JIT still took a sixth of a quick run's CPU, most of it for MassTransit's larger code.
            var warmUp = TimeSpan.FromSeconds(2);
            await Load.RunAsync(massTransit, warmUp);
            await Load.RunAsync(raw, warmUp);
            var samples = await Rounds.InterleaveAsync(run.Rounds,
                _ => Load.RunAsync(massTransit, run.PerSide),
                _ => Load.RunAsync(raw, run.PerSide));
            var ratio = Rounds.MedianRatio(samples[0], samples[1], s => s.OpsPerSecond);
            // Both sides keep the two cores busy, so the throughput ratio should follow the inverse CPU per message.
            var cpuRatio = Rounds.MedianRatio(samples[1], samples[0], s => s.CpuMsPerOp);
            return
            [
                new Finding("M1", "ActivityCompleted publish + consume: MassTransit ÷ RabbitMQ.Client, msgs/s", Rounds.Format(ratio), "≥ 0.4", ratio >= 0.4,
                    [new Side("MassTransit publish + consume", samples[0]), new Side("RabbitMQ.Client publish + consume", samples[1])],
                    $"persistent, publisher confirms, prefetch {massTransit.PrefetchCount}, {InFlight} publishes in flight, {Participants} participants; " +
                    $"CPU per op is this process (publisher and consumer) + RabbitMQ; RabbitMQ.Client ÷ MassTransit CPU per message {Rounds.Format(cpuRatio)}"),
            ];
        }
        finally
        {
            await RealServers.DeleteRabbitMqVirtualHostAsync(virtualHost);
        }
    }

    /// <summary>One way to publish the event, and where its consumer reports each arrival.</summary>
    private interface IMessagingSide
    {
        Arrivals Arrivals { get; }

        /// <summary>Completes when the broker has confirmed the message.</summary>
        Task PublishAsync(ActivityCompleted message);
    }

    /// <summary>What a side's consumer calls for each event; the load in progress, if any, counts it.</summary>
    private sealed class Arrivals
    {
        public volatile Load? Current;

        public void Received(ActivityCompleted message) => Current?.Received(message.EventId);
    }

    /// <summary>
    /// One side for one round: <see cref="InFlight"/> publishers until the time is up, then until the consumer has
    /// had every message. Each event id carries its message's number, so arrival finds its publish time.
    /// </summary>
    private sealed class Load
    {
        private static readonly ActivityCompleted Template = new(
            Guid.Empty, DateTimeOffset.UtcNow, DivisionCode.Parse("321324104201"), Guid.CreateVersion7(), "321324104201",
            Guid.CreateVersion7(), ActivityCategory.CivilityGuidance, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-1),
            [.. Enumerable.Range(0, Participants).Select(_ => new ActivityParticipant(Guid.CreateVersion7(), 2.5m))],
            AttendeeCount: 42, ResidentAttendeeCount: 32, FestivalTag: "重阳节");

        private readonly long[] _sentAt = new long[Capacity];
        private readonly double[] _latencyMs = new double[Capacity];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _published;
        private int _received;
        private int _expected = int.MaxValue;
        private long _lastReceivedAt;

        public static async Task<Sample> RunAsync(IMessagingSide side, TimeSpan duration)
        {
            var load = new Load();
            side.Arrivals.Current = load;
            var before = CpuClock.Snapshot([]);
            var selfBefore = CpuClock.Self();
            var started = Stopwatch.GetTimestamp();
            var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(() => load.PublishUntilAsync(side, deadline))));
            load.Close();
            await load._all.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var self = CpuClock.Self() - selfBefore;
            var broker = CpuClock.Between(before, CpuClock.Snapshot([])).GetValueOrDefault("rabbitmq");
            side.Arrivals.Current = null;

            var count = load._received;
            if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
            {
                Console.WriteLine($"  {side.GetType().Name}: {count} messages, CPU ms per message: this process {self * 1000 / count:F3}, RabbitMQ {broker * 1000 / count:F3}");
            }
            var latencies = new ArraySegment<double>(load._latencyMs, 0, count);
            return new Sample(count / Stopwatch.GetElapsedTime(started, load._lastReceivedAt).TotalSeconds,
                Rounds.Percentile(latencies, 50), Rounds.Percentile(latencies, 99), (self + broker) * 1000 / count);
        }

        public void Received(Guid eventId)
        {
            var now = Stopwatch.GetTimestamp();
            var received = Interlocked.Increment(ref _received);
            _latencyMs[received - 1] = Stopwatch.GetElapsedTime(_sentAt[NumberOf(eventId)], now).TotalMilliseconds;
            Volatile.Write(ref _lastReceivedAt, now);
            if (received >= Volatile.Read(ref _expected))
            {
                _all.TrySetResult();
            }
        }

        private async Task PublishUntilAsync(IMessagingSide side, long deadline)
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var number = Interlocked.Increment(ref _published) - 1;
                if (number >= Capacity)
                {
                    Interlocked.Decrement(ref _published);
                    return;
                }
                var message = Template with { EventId = IdOf(number), OccurredAt = DateTimeOffset.UtcNow };
                _sentAt[number] = Stopwatch.GetTimestamp();
                await side.PublishAsync(message);
            }
        }

        /// <summary>No more publishes: done once the consumer has had as many as were published.</summary>
        private void Close()
        {
            Volatile.Write(ref _expected, _published);
            if (Volatile.Read(ref _received) >= _published)
            {
                _all.TrySetResult();
            }
        }

        private static Guid IdOf(int number)
        {
            Span<byte> bytes = stackalloc byte[16];
            Guid.NewGuid().TryWriteBytes(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes, number);
            return new Guid(bytes);
        }

        private static int NumberOf(Guid id)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes);
            return BinaryPrimitives.ReadInt32LittleEndian(bytes);
        }
    }

    /// <summary>A host with the services' bus (AddServiceDefaults on RabbitMQ) and one consumer of the event.</summary>
    private sealed class MassTransitSide(IHost host) : IMessagingSide, IAsyncDisposable
    {
        private readonly IBus _bus = host.Services.GetRequiredService<IBus>();

        public Arrivals Arrivals { get; } = host.Services.GetRequiredService<Arrivals>();

        public ushort PrefetchCount { get; } = host.Services.GetRequiredService<MessagingOptions>().PrefetchCount;

        public static async Task<MassTransitSide> StartAsync(string rabbit)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Messaging:Transport"] = "RabbitMq",
                ["ConnectionStrings:rabbitmq"] = rabbit,
            });
            builder.AddServiceDefaults(new ProbeModule());
            var host = builder.Build();
            await host.StartAsync();
            return new MassTransitSide(host);
        }

        // As the outbox relay publishes: the event id is the message id.
        public Task PublishAsync(ActivityCompleted message) => _bus.Publish(message, context => context.MessageId = message.EventId);

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private sealed class ProbeModule : IServiceModule
    {
        public string Name => "m1";

        public void AddServices(IHostApplicationBuilder builder) => builder.Services.AddSingleton<Arrivals>();

        public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<ActivityCompletedProbe>();

        public void MapEndpoints(IEndpointRouteBuilder endpoints) { }
    }

    private sealed class ActivityCompletedProbe(Arrivals arrivals) : IConsumer<ActivityCompleted>
    {
        public Task Consume(ConsumeContext<ActivityCompleted> context)
        {
            arrivals.Received(context.Message);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The same event by hand: System.Text.Json, a durable fanout exchange bound to a durable queue, one channel
    /// publishing with tracked confirms, one consuming with the same prefetch and a manual ack after the handler.
    /// </summary>
    private sealed class RawSide(IConnection connection, IChannel publisher, IChannel consumer) : IMessagingSide, IAsyncDisposable
    {
        private const string Exchange = "activity-completed";
        private const string Queue = "activity-completed-raw";

        public Arrivals Arrivals { get; } = new();

        public static async Task<RawSide> StartAsync(string rabbit, ushort prefetchCount)
        {
            var connection = await new ConnectionFactory { Uri = new Uri(rabbit) }.CreateConnectionAsync();
            var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await publisher.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
            await publisher.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
            await publisher.QueueBindAsync(Queue, Exchange, "");
            var consumer = await connection.CreateChannelAsync();
            await consumer.BasicQosAsync(0, prefetchCount, false);
            var side = new RawSide(connection, publisher, consumer);
            var deliveries = new AsyncEventingBasicConsumer(consumer);
            deliveries.ReceivedAsync += async (_, delivery) =>
            {
                side.Arrivals.Received(JsonSerializer.Deserialize<ActivityCompleted>(delivery.Body.Span, Json)!);
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            };
            await consumer.BasicConsumeAsync(Queue, autoAck: false, deliveries);
            return side;
        }

        public async Task PublishAsync(ActivityCompleted message)
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = message.EventId.ToString(),
            };
            await publisher.BasicPublishAsync(Exchange, "", mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(message, Json));
        }

        public async ValueTask DisposeAsync()
        {
            await consumer.CloseAsync();
            await publisher.CloseAsync();
            await connection.CloseAsync();
            connection.Dispose();
        }
    }
}
