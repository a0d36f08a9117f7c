using System.Text.Json.Serialization;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.Cases;

/// <summary>A case's body for the steps that need only a remark or a reason (accept, reject, return, verify, reopen, close, extension decisions).</summary>
public sealed record CaseStepRequest(string? Remark, string? Reason);

public sealed record DispatchCaseRequest(Guid? HandlerId, string? Remark);

public sealed record HandleCaseRequest(string? Remark, IReadOnlyList<string>? Media);

public sealed record CaseExtensionRequest(int? Days, string? Reason);

public sealed record MergeCaseRequest(Guid? IntoCaseId, string? Remark);

/// <summary>An open case of the same category near a new one, which may be the same problem.</summary>
public sealed record PossibleDuplicateResponse(Guid Id, string Number, double Distance, CaseStatus Status, string? Address, DateTimeOffset ReportedAt);

public sealed record CaseStepResponse(
    int Sequence, CaseAction Action, CaseStatus Status, string? ActorId, string? ActorName, string? ActorRole, DateTimeOffset At,
    string? Remark, IReadOnlyList<string> Media)
{
    public static CaseStepResponse From(CaseStep s) => new(s.Sequence, s.Action, s.Status, s.ActorId, s.ActorName, s.ActorRole, s.At, s.Remark, s.Media ?? []);
}

/// <summary>
/// A case as the API shows it: GridCase's properties in camelCase, whether it is overdue now, and on a single read its
/// history (the steps, oldest first), the cases merged into it and, for its reporter, the follow token.
/// </summary>
public sealed record CaseResponse(
    Guid Id, string Number, string DivisionCode, string? GridCode, bool OutsideGrids, string CategoryCode, string Description,
    string? Address, double? Latitude, double? Longitude, IReadOnlyList<string> Media, CaseSource Source, string? ReporterId,
    string? PartnerClientId, CaseStatus Status, bool Open, Guid? HandlerId, string? HandlerName,
    DateTimeOffset ReportedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? DispatchedAt, DateTimeOffset? HandledAt,
    DateTimeOffset? VerifiedAt, DateTimeOffset? ClosedAt, DateTimeOffset UpdatedAt,
    CaseStage? Stage, DateTimeOffset? StageStartedAt, DateTimeOffset? DueAt, bool Overdue, bool WentOverdue, int Reworks,
    int Extensions, int? ExtensionRequestedDays, int EscalationLevel, string? EscalatedTo, DateTimeOffset? EscalatedAt,
    Guid? MergedInto, string? Resolution, int Version)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? FollowToken { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Guid>? MergedFrom { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CaseStepResponse>? History { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PossibleDuplicateResponse>? PossibleDuplicates { get; init; }

    public static CaseResponse From(GridCase c, DateTimeOffset now) => new(
        c.Id, c.Number, c.DivisionCode.Value, c.GridCode, c.OutsideGrids, c.CategoryCode, c.Description, c.Address, c.Latitude,
        c.Longitude, c.Media, c.Source, c.ReporterId, c.PartnerClientId, c.Status, c.IsOpen, c.HandlerId, c.HandlerName,
        c.ReportedAt, c.AcceptedAt, c.DispatchedAt, c.HandledAt, c.VerifiedAt, c.ClosedAt, c.UpdatedAt,
        c.Stage, c.StageStartedAt, c.DueAt, c.IsOpen && c.DueAt < now, c.WentOverdue, c.Reworks, c.Extensions,
        c.ExtensionRequestedDays, c.EscalationLevel, c.EscalatedTo?.Value, c.EscalatedAt, c.MergedInto, c.Resolution, c.Version);
}

/// <summary>One page of a case list, newest first, with how many match in all.</summary>
public sealed record CasePage(IReadOnlyList<CaseResponse> Items, int Page, int PageSize, int Total);
