using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PracticeMesh.ServiceDefaults.Messaging;

public enum BusTransport { InMemory, RabbitMq }

public sealed class MessagingOptions
{
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>Immediate retries inside the consumer, before the message is redelivered later.</summary>
    public TimeSpan[] RetryIntervals { get; set; } = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];

    /// <summary>Delayed redeliveries after the retries; then the message goes to the endpoint's error queue.</summary>
    public TimeSpan[] RedeliveryIntervals { get; set; } = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>
    /// RabbitMQ delays messages only with the delayed-message-exchange plugin. Without it (Debian's broker has
    /// none) set this false: the redelivery intervals then run as in-process retries.
    /// </summary>
    public bool BrokerDelayedRedelivery { get; set; }

    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>
    /// The township cell this instance is (e.g. "b"), when a service runs as several cells: its queues are named
    /// apart (<see cref="CellEndpointNameFormatter"/>) so every cell receives every event. Empty: today's names.
    /// </summary>
    public string? Cell { get; set; }
}

internal static class MessagingExtensions
{
    /// <summary>
    /// One bus per process with every module's consumers. The transport comes from <c>Messaging:Transport</c>
    /// (InMemory or RabbitMq, with <c>ConnectionStrings:rabbitmq</c>).
    /// </summary>
    public static void AddMessaging(this IHostApplicationBuilder builder, IReadOnlyList<IServiceModule> modules)
    {
        var options = builder.Configuration.GetSection("Messaging").Get<MessagingOptions>() ?? new MessagingOptions();
        builder.Services.AddSingleton(options);
        var rabbit = builder.Configuration.GetConnectionString("rabbitmq");
        if (options.Transport == BusTransport.RabbitMq && string.IsNullOrWhiteSpace(rabbit))
        {
            throw new InvalidOperationException("Messaging:Transport=RabbitMq needs ConnectionStrings:rabbitmq (amqp://user:password@host:5672/vhost).");
        }
        var delayedByTransport = options.Transport == BusTransport.InMemory || options.BrokerDelayedRedelivery;

        builder.Services.AddMassTransit(bus =>
        {
            if (string.IsNullOrWhiteSpace(options.Cell))
            {
                bus.SetKebabCaseEndpointNameFormatter();
            }
            else
            {
                bus.SetEndpointNameFormatter(new CellEndpointNameFormatter(options.Cell));
            }
            // MassTransit reports usage to its vendor's server by default. A county's network is often closed and a
            // government system reports nothing to third parties: off. (MASSTRANSIT_USAGE_TELEMETRY=true would turn it on.)
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            foreach (var module in modules)
            {
                module.AddConsumers(bus);
            }
            // What every module hears whatever it registers itself (AccessRevoked, per module database).
            bus.AddSharedConsumers(builder.Services, options.Cell);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (delayedByTransport)
                {
                    endpoint.UseDelayedRedelivery(r => r.Intervals(options.RedeliveryIntervals));
                    endpoint.UseMessageRetry(r => r.Intervals(options.RetryIntervals));
                }
                else
                {
                    endpoint.UseMessageRetry(r => r.Intervals([.. options.RetryIntervals, .. options.RedeliveryIntervals]));
                }
            });

            if (options.Transport == BusTransport.RabbitMq)
            {
                if (options.BrokerDelayedRedelivery)
                {
                    bus.AddDelayedMessageScheduler();
                }
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbit!));
                    cfg.PrefetchCount = options.PrefetchCount;
                    if (options.BrokerDelayedRedelivery)
                    {
                        cfg.UseDelayedMessageScheduler();
                    }
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.AddDelayedMessageScheduler();
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        builder.Services.Configure<MassTransitHostOptions>(host =>
        {
            // Never publish before queues and bindings exist: RabbitMQ drops what it cannot route.
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromMinutes(2);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
    }
}
