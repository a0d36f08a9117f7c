namespace PracticeMesh.Contracts.Events.V1;

/// <summary>The theme of an activity, from the seed's list of forms and themes.</summary>
public enum ActivityCategory
{
    Theory,
    Policy,
    Law,
    Culture,
    Science,
    CivilityGuidance,
    ConvenienceService,
    HealthAndSport,
}

/// <summary>An activity was announced so residents know and volunteers can sign up.</summary>
public sealed record ActivityPublished(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid ActivityId,
    string StationCode,
    string Title,
    ActivityCategory Category,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Capacity) : IIntegrationEvent;

/// <summary>One volunteer's part in a completed activity.</summary>
public sealed record ActivityParticipant(Guid VolunteerId, decimal CreditedHours);

/// <summary>
/// An activity was completed: who took part and for how long. Credits volunteer hours and feeds assessment.
/// </summary>
public sealed record ActivityCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid ActivityId,
    string StationCode,
    Guid? TeamId,
    ActivityCategory Category,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<ActivityParticipant> Participants,
    int AttendeeCount) : IIntegrationEvent;
