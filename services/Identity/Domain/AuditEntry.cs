using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Identity.Domain;

/// <summary>An entry of the county's audit trail (审计日志), kept from <see cref="AuditRecorded"/> events of every service.</summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    /// <summary>The event id: one entry per event, whatever the redeliveries.</summary>
    public Guid Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public string DivisionCode { get; private set; } = "";
    public string Service { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string? Detail { get; private set; }
    public string? SubjectId { get; private set; }
    public string? SubjectName { get; private set; }
    public string? Role { get; private set; }
    public string? ClientId { get; private set; }
    public string? IpAddress { get; private set; }
    public string? UserAgent { get; private set; }
    public string? CorrelationId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    public static AuditEntry From(AuditRecorded e, DateTimeOffset now) => new()
    {
        Id = e.EventId,
        OccurredAt = e.OccurredAt,
        DivisionCode = e.DivisionCode.Value,
        Service = Clip(e.Service, 50)!,
        Action = Clip(e.Action, 300)!,
        Detail = Clip(e.Detail, 2000),
        SubjectId = Clip(e.SubjectId, 100),
        SubjectName = Clip(e.SubjectName, 100),
        Role = Clip(e.Role, 30),
        ClientId = Clip(e.ClientId, 100),
        IpAddress = Clip(e.IpAddress, 64),
        UserAgent = Clip(e.UserAgent, 300),
        CorrelationId = Clip(e.CorrelationId, 100),
        RecordedAt = now,
    };

    // An over-long field from another service must not make the entry unstorable (and the message poison).
    private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
