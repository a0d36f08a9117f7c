using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>
/// An integration event waiting to be published, saved in the same transaction as the change it reports.
/// Times are Unix milliseconds so the relay's claim query compares plain integers on every provider.
/// </summary>
public sealed class OutboxMessage
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public Guid Id { get; set; }
    /// <summary>
    /// The event's name, its message URN (see <see cref="IntegrationEventTypes"/>); rows written by earlier versions
    /// hold "full name, assembly", still read.
    /// </summary>
    public string MessageType { get; set; } = "";
    public string Payload { get; set; } = "";
    public long OccurredAt { get; set; }
    /// <summary>Not published before this time (backoff after a failed attempt).</summary>
    public long AvailableAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>A relay instance that claimed the row holds it until this time.</summary>
    public long? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public long? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>
    /// Set when the relay gave up on the row (it could not be read <see cref="Messaging.OutboxOptions.MaxAttempts"/>
    /// times): it is not published again unless an operator retries it.
    /// </summary>
    public long? DeadAt { get; set; }

    public static OutboxMessage From(IIntegrationEvent message, DateTimeOffset now)
    {
        var type = message.GetType();
        return new OutboxMessage
        {
            Id = message.EventId,
            MessageType = IntegrationEventTypes.NameOf(type),
            Payload = JsonSerializer.Serialize(message, type, SerializerOptions),
            OccurredAt = message.OccurredAt.ToUnixTimeMilliseconds(),
            AvailableAt = now.ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The event, or <see cref="OutboxRowUnreadableException"/> when this process cannot read the row.</summary>
    public (object Message, Type Type) Deserialize()
    {
        var type = IntegrationEventTypes.Resolve(MessageType)
            ?? throw new OutboxRowUnreadableException($"No integration event type is named {MessageType}.");
        try
        {
            return (JsonSerializer.Deserialize(Payload, type, SerializerOptions)
                ?? throw new OutboxRowUnreadableException("The payload is null."), type);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            throw new OutboxRowUnreadableException($"The payload is not a {type.Name}: {ex.Message}", ex);
        }
    }
}

/// <summary>An outbox row this process cannot turn back into its event: its type is unknown, or its payload does not read.</summary>
public sealed class OutboxRowUnreadableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A message a consumer has handled, recorded in the same transaction as its effect.</summary>
public sealed class InboxMessage
{
    public string Consumer { get; set; } = "";
    public Guid MessageId { get; set; }
    public long ProcessedAt { get; set; }
}
