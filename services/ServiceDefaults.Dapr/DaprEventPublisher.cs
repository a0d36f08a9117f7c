using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>Publishes an integration event to the Dapr pub/sub component, on its own topic, as a CloudEvent with the event's id.</summary>
public sealed class DaprEventPublisher(DaprSidecar sidecar, DaprOptions options)
{
    /// <param name="source">The CloudEvent source: the publishing service, <c>practicemesh/activities</c>.</param>
    public Task PublishAsync(IIntegrationEvent integrationEvent, string source, CancellationToken cancellationToken) =>
        sidecar.PublishAsync(options.PubSub, CloudEvent.TopicOf(integrationEvent.GetType()), CloudEvent.For(integrationEvent, source), cancellationToken);
}
