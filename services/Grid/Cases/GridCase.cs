using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.Cases;

/// <summary>Where a case stands (GB/T 30428: 上报 → 立案 → 派遣 → 处置 → 核查 → 结案).</summary>
public enum CaseStatus
{
    /// <summary>上报: reported, waiting to be accepted.</summary>
    Reported,
    /// <summary>立案: accepted as a grid matter, waiting to be dispatched (or returned for re-dispatch).</summary>
    Accepted,
    /// <summary>派遣: a grid worker of the case's grid handles it.</summary>
    Dispatched,
    /// <summary>处置: the handler says it is done, waiting to be verified.</summary>
    Handled,
    /// <summary>核查: verified on the spot, waiting to be closed.</summary>
    Verified,
    /// <summary>结案.</summary>
    Closed,
    /// <summary>Not accepted, with a reason.</summary>
    Rejected,
    /// <summary>A duplicate merged into another case.</summary>
    Merged,
}

/// <summary>
/// A problem found in a grid (网格事件), from report to close. Every step is kept as a <see cref="CaseStep"/> with who,
/// when and a remark. <see cref="DueAt"/> is the current stage's time limit (working days or hours of the category,
/// on the county's calendar); <see cref="Version"/> is bumped on every change so concurrent writes conflict.
/// </summary>
public sealed partial class GridCase
{
    private GridCase() { }

    public Guid Id { get; private set; }
    /// <summary>The number people quote (Open311's service_request_id).</summary>
    public string Number { get; private set; } = "";
    /// <summary>The village the case lies in (or the reporter's village when it has no location).</summary>
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The grid that owns it; null when the location lies outside every grid and the village takes it.</summary>
    public string? GridCode { get; private set; }
    /// <summary>The location lay outside every grid with a boundary: flagged for the village.</summary>
    public bool OutsideGrids { get; private set; }
    public string CategoryCode { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string? Address { get; private set; }
    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    /// <summary>References (URLs) to photos or recordings kept elsewhere.</summary>
    public List<string> Media { get; private set; } = [];

    public CaseSource Source { get; private set; }
    /// <summary>The reporter's token subject (a person id), or null for a partner system.</summary>
    public string? ReporterId { get; private set; }
    /// <summary>The partner client that reported it, when one did.</summary>
    public string? PartnerClientId { get; private set; }
    /// <summary>Open311's token: lets an anonymous reporter follow the case.</summary>
    public Guid FollowToken { get; private set; }

    public CaseStatus Status { get; private set; }
    /// <summary>The grid worker (identity person id) it is dispatched to; only they may mark it handled.</summary>
    public Guid? HandlerId { get; private set; }
    public string? HandlerName { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? DispatchedAt { get; private set; }
    public DateTimeOffset? HandledAt { get; private set; }
    public DateTimeOffset? VerifiedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The stage whose clock runs now (null once closed, rejected or merged).</summary>
    public CaseStage? Stage { get; private set; }
    public DateTimeOffset? StageStartedAt { get; private set; }
    /// <summary>When the current stage's time limit runs out.</summary>
    public DateTimeOffset? DueAt { get; private set; }
    /// <summary>Some stage ran past its limit (after approved extensions): the case is not closed on time.</summary>
    public bool WentOverdue { get; private set; }
    /// <summary>Verifications that failed and sent it back to its handler (返工).</summary>
    public int Reworks { get; private set; }
    public int Extensions { get; private set; }
    /// <summary>An extension asked for and not yet decided: the days asked.</summary>
    public int? ExtensionRequestedDays { get; private set; }
    /// <summary>0 = the grid, 1 = the village, 2 = the township, 3 = the county.</summary>
    public int EscalationLevel { get; private set; }
    public DivisionCode? EscalatedTo { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public Guid? MergedInto { get; private set; }
    public string? Resolution { get; private set; }

    public int Version { get; private set; }

    public List<CaseStep> Steps { get; private set; } = [];
}

/// <summary>What was done to a case in one step.</summary>
public enum CaseAction
{
    Reported, Accepted, Rejected, Dispatched, Returned, Handled, Verified, VerificationFailed, Closed,
    ExtensionRequested, ExtensionApproved, ExtensionRefused, Escalated, MergedInto, MergedFrom,
}

/// <summary>One step of a case's history: who (a person id, or the system), when, and a remark.</summary>
public sealed class CaseStep
{
    private CaseStep() { }

    public CaseStep(Guid caseId, int sequence, CaseAction action, CaseStatus status, string? actorId, string? actorName, string? actorRole,
        DateTimeOffset at, string? remark)
    {
        Id = Guid.CreateVersion7(at);
        CaseId = caseId;
        Sequence = sequence;
        Action = action;
        Status = status;
        ActorId = actorId;
        ActorName = actorName;
        ActorRole = actorRole;
        At = at;
        Remark = remark;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public int Sequence { get; private set; }
    public CaseAction Action { get; private set; }
    /// <summary>The case's status after the step.</summary>
    public CaseStatus Status { get; private set; }
    /// <summary>The token subject who did it; null for the system (escalation sweep).</summary>
    public string? ActorId { get; private set; }
    public string? ActorName { get; private set; }
    public string? ActorRole { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? Remark { get; private set; }
    /// <summary>References (URLs) the actor attached to the step: the handler's photos of the work done; null when none.</summary>
    public List<string>? Media { get; private set; }

    internal void AttachMedia(IReadOnlyList<string>? media)
    {
        if (media is { Count: > 0 })
        {
            Media = [.. media.Select(m => m.Trim())];
        }
    }
}
