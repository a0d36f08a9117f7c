using System.Text.Json;
using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>
/// An integration event waiting to be published, saved in the same transaction as the change it reports.
/// Times are Unix milliseconds so the relay's claim query compares plain integers on every provider.
/// </summary>
public sealed class OutboxMessage
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public Guid Id { get; set; }
    /// <summary>The event's CLR type as "full name, assembly".</summary>
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

    public static OutboxMessage From(IIntegrationEvent message, DateTimeOffset now)
    {
        var type = message.GetType();
        return new OutboxMessage
        {
            Id = message.EventId,
            MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
            Payload = JsonSerializer.Serialize(message, type, SerializerOptions),
            OccurredAt = message.OccurredAt.ToUnixTimeMilliseconds(),
            AvailableAt = now.ToUnixTimeMilliseconds(),
        };
    }

    public (object Message, Type Type) Deserialize()
    {
        var type = Type.GetType(MessageType, throwOnError: true)!;
        return (JsonSerializer.Deserialize(Payload, type, SerializerOptions)!, type);
    }
}

/// <summary>A message a consumer has handled, recorded in the same transaction as its effect.</summary>
public sealed class InboxMessage
{
    public string Consumer { get; set; } = "";
    public Guid MessageId { get; set; }
    public long ProcessedAt { get; set; }
}
