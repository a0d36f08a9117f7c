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
    int Capacity,
    Guid? TeamId = null,
    string? Platform = null,
    string? Venue = null,
    string? Lecturer = null,
    string? Audience = null,
    string? FestivalTag = null,
    bool IsMobile = false,
    /// <summary>Announced fewer than the required days ahead (allowed, but flagged).</summary>
    bool LateAnnouncement = false) : IIntegrationEvent;

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
    /// <summary>Everyone who attended: the participating volunteers plus the residents.</summary>
    int AttendeeCount,
    int ResidentAttendeeCount = 0,
    string? FestivalTag = null) : IIntegrationEvent;

/// <summary>An activity was called off; the volunteers who held a place or waited for one are listed.</summary>
[PublishedForPartners("Tells the signed-up volunteers' apps that an activity is off; no service keeps state from a cancellation (only completions are credited and counted).")]
public sealed record ActivityCancelled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid ActivityId,
    string StationCode,
    string Reason,
    IReadOnlyList<Guid> SignedUpVolunteerIds) : IIntegrationEvent;

/// <summary>One volunteer's hours before and after a correction; <see cref="Delta"/> is what to add to the ledger.</summary>
public sealed record ActivityHoursDelta(Guid VolunteerId, decimal PreviousHours, decimal CorrectedHours, decimal Delta);

/// <summary>
/// A completed activity's record was corrected: a compensating event carrying the per-volunteer hour deltas, so
/// consumers of <see cref="ActivityCompleted"/> adjust rather than being changed silently.
/// </summary>
public sealed record ActivityCompletionCorrected(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid ActivityId,
    string StationCode,
    Guid? TeamId,
    ActivityCategory Category,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Reason,
    IReadOnlyList<ActivityHoursDelta> Deltas,
    int AttendeeCount) : IIntegrationEvent;

/// <summary>A resident rated a completed activity (评单), 1 to 5.</summary>
public sealed record ActivityRated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid ActivityId,
    string StationCode,
    Guid? TeamId,
    int Score,
    string? Comment) : IIntegrationEvent;

/// <summary>
/// A resident ordered a service from a station's menu (点单), or asked in their own words (微心愿: no
/// <see cref="MenuItemId"/>; the words are on the order, not in the event, as they may name the person).
/// </summary>
[PublishedForPartners("The order loop (点单) for partner dispatch and notification systems; the activities service owns orders.")]
public sealed record OrderPlaced(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    string StationCode,
    Guid? MenuItemId,
    string Title) : IIntegrationEvent;

/// <summary>An order was dispatched to a team or a volunteer with a due time (派单).</summary>
[PublishedForPartners("The order loop (派单) for the assignee's app; the activities service owns orders.")]
public sealed record OrderDispatched(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    string StationCode,
    Guid? TeamId,
    Guid? VolunteerId,
    DateTimeOffset DueAt) : IIntegrationEvent;

/// <summary>The team or volunteer took the order on (接单).</summary>
[PublishedForPartners("The order loop (接单) for partner reporting; the activities service owns orders.")]
public sealed record OrderAccepted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    Guid? TeamId,
    Guid? VolunteerId) : IIntegrationEvent;

/// <summary>The team or volunteer declined the order; it is back for re-dispatch.</summary>
[PublishedForPartners("The order loop for the dispatcher's app; the activities service owns orders.")]
public sealed record OrderDeclined(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    Guid? TeamId,
    Guid? VolunteerId,
    string Reason) : IIntegrationEvent;

/// <summary>The ordered service was done.</summary>
public sealed record OrderCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    string StationCode,
    Guid? TeamId,
    Guid? VolunteerId,
    DateTimeOffset DueAt,
    bool Overdue) : IIntegrationEvent;

/// <summary>The resident rated the service they ordered (评单), 1 to 5.</summary>
public sealed record OrderRated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    string StationCode,
    Guid? TeamId,
    int Score,
    string? Comment) : IIntegrationEvent;

/// <summary>Why an order went up a tier: it was not accepted, or not done, in the time the county allows.</summary>
public enum OrderEscalationReason { NotAccepted, NotCompleted }

/// <summary>
/// An order was not accepted or not done in time and went to the tier above (the township's institute, then the county
/// centre): <see cref="Level"/> counts the steps (1, 2), <see cref="EscalatedTo"/> is the division now answerable.
/// Published once per order and step, whatever the number of replicas sweeping.
/// </summary>
[PublishedForPartners("Overdue orders for the institute's and centre's dispatch desks and notification systems; the activities service owns orders.")]
public sealed record OrderEscalated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid OrderId,
    string StationCode,
    int Level,
    DivisionCode EscalatedTo,
    OrderEscalationReason Reason,
    Guid? TeamId,
    Guid? VolunteerId) : IIntegrationEvent;
