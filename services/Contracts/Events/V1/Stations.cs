namespace PracticeMesh.Contracts.Events.V1;

/// <summary>The kind of a practice site.</summary>
public enum StationKind
{
    /// <summary>新时代文明实践中心, the county centre.</summary>
    CountyCentre,
    /// <summary>新时代文明实践所, a township institute.</summary>
    Institute,
    /// <summary>村级实践站, a village station.</summary>
    Village,
    /// <summary>社区实践站, a community station.</summary>
    Community,
    School,
    Enterprise,
    Agency,
    /// <summary>流动实践站, a mobile station.</summary>
    Mobile,
}

/// <summary>A practice site joined the county's registry.</summary>
public sealed record StationRegistered(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    string Name,
    StationKind Kind,
    string? ParentStationCode) : IIntegrationEvent;
