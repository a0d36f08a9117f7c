using MassTransit;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Dapr;

namespace PracticeMesh.Activities.Dapr;

/// <summary>
/// Activities on a Dapr mesh (only with <c>Dapr:Enabled</c>): completed activities are also published to the Dapr
/// pub/sub component, for partner systems there. In a class of its own so that with Dapr off nothing of Dapr is loaded.
/// </summary>
public static class ActivitiesDapr
{
    public const string Source = "practicemesh/activities";

    public static void AddServices(IHostApplicationBuilder builder) => builder.AddDaprSidecar();

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        // A name of its own, the same in every cell: completions from all cells meet on one queue, so each is forwarded
        // once, by whichever replica takes it.
        bus.AddConsumer<PublishActivityCompletedToDapr>().Endpoint(endpoint => endpoint.Name = "activities-dapr-activity-completed");
}

/// <summary>
/// Forwards <see cref="ActivityCompleted"/> from the bus to Dapr. The outbox puts the event on the bus in the
/// transaction of the completion; this consumer, on its own queue, takes it from there. A sidecar that is down (or
/// refuses the publish) fails the message, which the bus retries and redelivers and finally keeps in the endpoint's
/// error queue for replay: the CloudEvent is late, never lost. A repeat publishes the same CloudEvent id again, which
/// partners deduplicate on (Dapr delivers at least once anyway), so no inbox is kept here.
/// </summary>
public sealed class PublishActivityCompletedToDapr(DaprEventPublisher dapr) : IConsumer<ActivityCompleted>
{
    public Task Consume(ConsumeContext<ActivityCompleted> context) =>
        dapr.PublishAsync(context.Message, ActivitiesDapr.Source, context.CancellationToken);
}
