namespace PracticeMesh.WebConsole.Components.Pages.Grid;

/// <summary>A grid case as the grid API answers it (enums arrive as their names).</summary>
public sealed record GridCaseItem(
    Guid Id, string Number, string DivisionCode, string? GridCode, bool OutsideGrids, string CategoryCode, string Description,
    string? Address, double? Latitude, double? Longitude, string Status, bool Open, Guid? HandlerId, string? HandlerName,
    DateTimeOffset ReportedAt, DateTimeOffset UpdatedAt, string? Stage, DateTimeOffset? DueAt, bool Overdue, bool WentOverdue,
    int Reworks, int Extensions, int? ExtensionRequestedDays, int EscalationLevel, string? EscalatedTo, DateTimeOffset? EscalatedAt,
    Guid? MergedInto, string? Resolution, int Version, Guid? FollowToken = null, IReadOnlyList<GridCaseStep>? History = null);

/// <summary>One step of a case's history.</summary>
public sealed record GridCaseStep(int Sequence, string Action, string Status, string? ActorName, string? ActorRole, DateTimeOffset At, string? Remark);

public sealed record GridCasePage(IReadOnlyList<GridCaseItem> Items, int Page, int PageSize, int Total);

public sealed record GridCategory(string Code, string Name, string? Description, bool StaysInGrid, bool Active);

public sealed record GridAssignment(Guid Id, string GridCode, Guid PersonId, string PersonName, bool PersonActive, string Duty, bool Current);
