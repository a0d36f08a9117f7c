namespace PracticeMesh.Contracts;

/// <summary>
/// What every integration event carries. Events are immutable past-tense records; they change only
/// by adding optional members, and a breaking change is a new type in a new version namespace.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>Unique per event; consumers use it to handle each event once.</summary>
    Guid EventId { get; }

    /// <summary>When the change happened.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>The division the changed record belongs to.</summary>
    DivisionCode DivisionCode { get; }
}
