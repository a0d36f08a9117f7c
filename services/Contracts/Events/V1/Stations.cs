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

/// <summary>A site's name, address or location changed; its code, kind and place never change.</summary>
public sealed record StationUpdated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    string Name,
    string? Address,
    double? Latitude,
    double? Longitude) : IIntegrationEvent;

/// <summary>A site was closed: it keeps its history but takes no new activities, staff or volunteers.</summary>
public sealed record StationClosed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    string Reason) : IIntegrationEvent;

/// <summary>The six haves (六有) a station must show.</summary>
public enum SixHavesItem
{
    /// <summary>有场所, a site.</summary>
    Site,
    /// <summary>有队伍, a team.</summary>
    Team,
    /// <summary>有制度, rules.</summary>
    Rules,
    /// <summary>有保障, funding.</summary>
    Funding,
    /// <summary>有成效, results.</summary>
    Results,
    /// <summary>有特色, a specialty.</summary>
    Specialty,
}

/// <summary>The tier above's verdict on one of a station's six haves.</summary>
public enum SixHavesVerdict { Passed, Failed }

/// <summary>
/// The tier above checked one of a station's six haves (六有) against its evidence. Published while the county's
/// checklist is the six-item standard; <see cref="V2.SixHavesVerified"/> is published for every checklist.
/// </summary>
[PublishedForPartners("The six-haves (六有) verdicts for the county's reporting systems; the stations service serves compliance itself.")]
public sealed record SixHavesVerified(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    SixHavesItem Item,
    SixHavesVerdict Verdict,
    string? VerifiedBy,
    /// <summary>The verifier's division scope: a division code or, for a city-wide caller, a shorter prefix.</summary>
    string VerifierDivision,
    int PassedItems,
    bool Compliant) : IIntegrationEvent;

/// <summary>
/// A site's leaders or staff changed; says whether the staffing minimum (by default institute 2, station 1) is met.
/// <see cref="RequiredMin"/> is the minimum; <see cref="RequiredMax"/> is the top of the usual range (by default 3 and 2),
/// not a cap: a site above it is shown so as information (<see cref="AboveUsualRange"/>).
/// </summary>
public sealed record StaffingChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    string? HeadName,
    string? DeputyName,
    int StaffCount,
    int? RequiredMin,
    int? RequiredMax,
    bool Met,
    bool? AboveUsualRange = null) : IIntegrationEvent;
