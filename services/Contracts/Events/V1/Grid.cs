namespace PracticeMesh.Contracts.Events.V1;

/// <summary>
/// A grid (网格) was drawn in a village: level 2 directly under the village, level 3 inside a level-2 grid.
/// <see cref="IIntegrationEvent.DivisionCode"/> is the village; <see cref="PredecessorCodes"/> names the grids it
/// replaces when it came from a split or a merge.
/// </summary>
[PublishedForPartners("Grid changes for the county's grid command centre (网格化服务管理中心) and map systems.")]
public sealed record GridCreated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string GridCode,
    string Name,
    int Level,
    string? ParentCode,
    int Households,
    int Population,
    bool HasBoundary,
    IReadOnlyList<string> PredecessorCodes) : IIntegrationEvent;

/// <summary>A grid was retired (split, merged into others, or abolished); its history and cases stay.</summary>
[PublishedForPartners("Grid changes for the county's grid command centre (网格化服务管理中心) and map systems.")]
public sealed record GridRetired(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string GridCode,
    IReadOnlyList<string> SuccessorCodes,
    string Reason) : IIntegrationEvent;

/// <summary>What a person does in a grid.</summary>
public enum GridDuty
{
    /// <summary>网格员: walks the grid, reports and handles its cases.</summary>
    Worker,
    /// <summary>包格干部: the village or township cadre answerable for the grid.</summary>
    Cadre,
}

/// <summary>
/// A person (an identity person id) took up or left a duty in a grid. <see cref="Until"/> is null while the
/// assignment holds; an ended assignment is published again with its last day.
/// </summary>
[PublishedForPartners("Who works each grid, for the county's grid command centre and its duty rosters.")]
public sealed record GridAssignmentChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string GridCode,
    Guid AssignmentId,
    Guid PersonId,
    string PersonName,
    GridDuty Duty,
    DateOnly From,
    DateOnly? Until) : IIntegrationEvent;

/// <summary>The kind of hole in a village's grid coverage.</summary>
public enum CoverageGap
{
    /// <summary>An active grid with no worker assigned.</summary>
    GridWithoutWorker,
    /// <summary>A village (known from the stations registry) with no active grid.</summary>
    VillageWithoutGrids,
}

/// <summary>A gap in coverage opened (<see cref="Open"/>) or closed. <see cref="GridCode"/> is null for a village gap.</summary>
[PublishedForPartners("Coverage gaps for the county's grid command centre, which follows them up with the township.")]
public sealed record CoverageChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    CoverageGap Gap,
    string? GridCode,
    bool Open) : IIntegrationEvent;

/// <summary>Who reported a case.</summary>
public enum CaseSource { Resident, GridWorker, Partner, Staff }

/// <summary>
/// A problem was reported (上报). <see cref="IIntegrationEvent.DivisionCode"/> is the village it lies in;
/// <see cref="GridCode"/> is null when the location lies outside every grid (<see cref="OutsideGrids"/>) and the
/// village takes it.
/// </summary>
public sealed record CaseReported(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid CaseId,
    string CaseNumber,
    string? GridCode,
    string Category,
    CaseSource Source,
    bool OutsideGrids,
    double? Latitude,
    double? Longitude) : IIntegrationEvent;

/// <summary>An accepted case was dispatched (派遣) to a grid worker, who must handle it by <see cref="HandleBy"/>.</summary>
[PublishedForPartners("Dispatches for the notification systems that message the handler.")]
public sealed record CaseDispatched(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid CaseId,
    string? GridCode,
    string Category,
    Guid HandlerId,
    DateTimeOffset HandleBy) : IIntegrationEvent;

/// <summary>How a case ended.</summary>
public enum CaseOutcome
{
    /// <summary>Handled, verified and closed (结案).</summary>
    Resolved,
    /// <summary>Not accepted: not a grid matter, or not real (with a reason).</summary>
    Rejected,
    /// <summary>Merged into another case as its duplicate; the reporters follow the surviving case.</summary>
    Merged,
}

/// <summary>
/// A case was closed. <see cref="OnTime"/> is whether every stage met its time limit (after approved extensions);
/// <see cref="Reworks"/> counts verifications that failed and returned it; <see cref="EscalationLevel"/> is how far up
/// it went (0 = stayed in the grid).
/// </summary>
public sealed record CaseClosed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid CaseId,
    string? GridCode,
    string Category,
    CaseOutcome Outcome,
    DateTimeOffset ReportedAt,
    bool OnTime,
    int Reworks,
    bool Extended,
    int EscalationLevel,
    Guid? MergedInto) : IIntegrationEvent;

/// <summary>The stage of a case whose time limit ran out.</summary>
public enum CaseStage
{
    /// <summary>Reported and not yet accepted (立案).</summary>
    Acceptance,
    /// <summary>Accepted, dispatched or returned, and not yet handled (处置).</summary>
    Handling,
    /// <summary>Handled and not yet verified (核查).</summary>
    Verification,
}

/// <summary>
/// A case overdue at one tier went up to the next (grid → village → township → county): <see cref="Level"/> 1 is the
/// village, 2 the township, 3 the county; <see cref="EscalatedTo"/> is that tier's division code, whose staff are
/// notified. One event per case and level.
/// </summary>
public sealed record CaseEscalated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid CaseId,
    string? GridCode,
    string Category,
    CaseStage Stage,
    int Level,
    DivisionCode EscalatedTo,
    DateTimeOffset DueAt) : IIntegrationEvent;

/// <summary>A case time limit as the county set it: an amount of <c>WorkingHours</c> or <c>WorkingDays</c>.</summary>
public sealed record CaseTimeLimit(int Amount, string Unit);

/// <summary>One case category with its time limits, as <c>GET /api/v1/grid/categories</c> answers it.</summary>
public sealed record CaseCategorySetting(
    string Code,
    string Name,
    string? Description,
    CaseTimeLimit AcceptWithin,
    CaseTimeLimit HandleWithin,
    CaseTimeLimit VerifyWithin,
    bool StaysInGrid,
    bool Active,
    int Version);

/// <summary>
/// The county changed its case categories: the whole list after the change, so every grid cell (township cell) holds
/// the same time limits. <see cref="Revision"/> orders the county's changes (later is larger); a cell applies a list
/// only when it is newer than the one it holds, so copies and late arrivals change nothing.
/// <see cref="IIntegrationEvent.DivisionCode"/> is the county.
/// </summary>
public sealed record CaseCategoriesChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    long Revision,
    IReadOnlyList<CaseCategorySetting> Categories) : IIntegrationEvent;

/// <summary>
/// The county loaded a year's working calendar (工作日历): the year's whole holiday and 调休 working-day lists, so every
/// grid cell counts time limits on the same days. Applied when <see cref="Revision"/> is newer than the year's held one.
/// </summary>
public sealed record WorkingCalendarChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    int Year,
    long Revision,
    IReadOnlyList<DateOnly> Holidays,
    IReadOnlyList<DateOnly> Workdays) : IIntegrationEvent;

/// <summary>
/// A partner's Open311 API key was issued or revoked: the key's whole state, so every grid cell (township cell) can
/// check a partner's request the gateway sends it. Only the SHA-256 of the key travels, never the key. A cell keeps
/// the state with the highest <see cref="Version"/> (issued 0, revoked 1), so copies and any order end the same.
/// <see cref="IIntegrationEvent.DivisionCode"/> is where the partner may report.
/// </summary>
public sealed record Open311KeyChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid KeyId,
    string ClientId,
    string Name,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? RevokedAt,
    int Version) : IIntegrationEvent;
