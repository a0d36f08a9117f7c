using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// A CloudEvents 1.0 envelope in its structured JSON form (<c>application/cloudevents+json</c>), which the sidecar
/// passes on to the pub/sub component as it is: the id, type and source stay ours.
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    public const string ContentType = "application/cloudevents+json";

    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = "1.0";

    [JsonPropertyName("datacontenttype")]
    public string DataContentType { get; init; } = "application/json";

    /// <summary>The event's own JSON as the services' APIs write it: camelCase, enums by name, division codes as strings.</summary>
    public static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// The integration event as a CloudEvent from <paramref name="source"/> (the service, e.g. <c>practicemesh/activities</c>):
    /// its id is the event's id, so a partner that sees it twice (a redelivery) knows it is the same event; its subject is
    /// the event's division code, so a partner can filter by township without reading the data.
    /// </summary>
    public static CloudEvent For(IIntegrationEvent integrationEvent, string source) => new(
        integrationEvent.EventId.ToString(),
        source,
        TypeOf(integrationEvent.GetType()),
        integrationEvent.OccurredAt,
        integrationEvent.DivisionCode.Value,
        JsonSerializer.SerializeToElement(integrationEvent, integrationEvent.GetType(), DataJson));

    /// <summary>The event's name with its contract version: <c>practicemesh.ActivityCompleted.v1</c> for <c>…Events.V1.ActivityCompleted</c>.</summary>
    public static string TypeOf(Type eventType)
    {
        var version = eventType.Namespace?.Split('.').LastOrDefault(part => part.Length > 1 && part[0] == 'V' && part[1..].All(char.IsAsciiDigit));
        return version is null ? $"practicemesh.{eventType.Name}" : $"practicemesh.{eventType.Name}.{version.ToLowerInvariant()}";
    }

    /// <summary>The topic an event is published on: its name in kebab case (<c>activity-completed</c>, <c>case-reported</c>).</summary>
    public static string TopicOf(Type eventType)
    {
        var name = new StringBuilder();
        foreach (var c in eventType.Name)
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('-');
            }
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }
}
