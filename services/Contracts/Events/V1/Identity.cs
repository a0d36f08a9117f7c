namespace PracticeMesh.Contracts.Events.V1;

/// <summary>
/// Tokens issued to <see cref="Subject"/> before <see cref="NotBefore"/> no longer count: the person was deactivated,
/// their role or division changed, their login was linked to or unlinked from a volunteer record, or the linked volunteer
/// was suspended. Every service hears it and refuses such tokens from then on; the person signs in or refreshes to get
/// a token that says what holds now. <see cref="DivisionCode"/> is the person's division when it happened.
/// </summary>
public sealed record AccessRevoked(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string Subject,
    DateTimeOffset NotBefore,
    string Reason) : IIntegrationEvent;

/// <summary>
/// A person's record as it stands after a change: created, renamed, given another role or division, deactivated or
/// activated. Services that name people (a grid's workers, for one) keep the latest by <see cref="IIntegrationEvent.OccurredAt"/>.
/// <see cref="IIntegrationEvent.DivisionCode"/> is the person's division now.
/// </summary>
public sealed record PersonChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid PersonId,
    string DisplayName,
    string Role,
    bool Active) : IIntegrationEvent;
