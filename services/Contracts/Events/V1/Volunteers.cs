namespace PracticeMesh.Contracts.Events.V1;

/// <summary>A person registered as a volunteer (志愿者) and awaits review. Carries no personal data.</summary>
public sealed record VolunteerRegistered(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    string DisplayName) : IIntegrationEvent;

/// <summary>A volunteer passed review (审核) and may sign up for activities.</summary>
public sealed record VolunteerApproved(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    string DisplayName) : IIntegrationEvent;

/// <summary>Service hours were written to a volunteer's ledger.</summary>
public sealed record HoursCredited(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid VolunteerId,
    Guid LedgerEntryId,
    Guid? ActivityId,
    decimal Hours,
    decimal TotalHours) : IIntegrationEvent;
