namespace PracticeMesh.Contracts.Events.V1;

/// <summary>
/// An entry of the audit trail: an admin's change, or a view of unmasked personal data. Written by the service where
/// it happened, in the same transaction as the change; kept by the identity service for county admins to query.
/// </summary>
public sealed record AuditRecorded(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string Service,
    string Action,
    string? Detail,
    string? SubjectId,
    string? SubjectName,
    string? Role,
    string? ClientId,
    string? IpAddress,
    string? UserAgent,
    string? CorrelationId) : IIntegrationEvent;
