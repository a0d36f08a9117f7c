using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Cases;

/// <summary>Who takes a step on a case: a token subject, their name and role.</summary>
public sealed record CaseActor(string? Id, string? Name, string? Role);

/// <summary>
/// The case's lifecycle (上报 → 立案 → 派遣 → 处置 → 核查 → 结案, with rejection, return, rework, extension and merge).
/// Every method checks the current status first and throws <see cref="ConflictException"/> naming it before changing
/// anything, so a step out of order writes nothing. Time limits are counted by the caller (they need the working
/// calendar) and passed in; a step that ends a stage after its <see cref="DueAt"/> marks the case
/// <see cref="WentOverdue"/>.
/// </summary>
public sealed partial class GridCase
{
    public const int MaxExtensionDays = 30;
    /// <summary>Leaves room in a step's 1,000 characters for what a step adds (the handler's name, the days asked).</summary>
    public const int MaxRemark = 900;

    /// <summary>Not closed, rejected or merged: still in somebody's hands.</summary>
    public bool IsOpen => Status is not (CaseStatus.Closed or CaseStatus.Rejected or CaseStatus.Merged);

    /// <summary>立案: a reported case is a grid matter; its handling clock starts (until <paramref name="handleBy"/>).</summary>
    public void Accept(CaseActor actor, DateTimeOffset now, string? remark, DateTimeOffset handleBy)
    {
        EnsureStatus("accept", CaseStatus.Reported);
        EnsureRemark(remark, required: false);
        EndStage(now);
        Status = CaseStatus.Accepted;
        AcceptedAt = now;
        StartStage(CaseStage.Handling, now, handleBy);
        AddStep(CaseAction.Accepted, actor.Id, actor.Name, actor.Role, now, remark);
    }

    /// <summary>Not a grid matter, or not real: closed as rejected with the reason.</summary>
    public CaseClosed Reject(CaseActor actor, DateTimeOffset now, string? reason)
    {
        EnsureStatus("reject", CaseStatus.Reported);
        EnsureRemark(reason, required: true, field: "reason");
        EndStage(now);
        Status = CaseStatus.Rejected;
        Resolution = reason!.Trim();
        AddStep(CaseAction.Rejected, actor.Id, actor.Name, actor.Role, now, reason);
        return Finish(now, CaseOutcome.Rejected);
    }

    /// <summary>
    /// 派遣: an accepted (or returned) case goes to a grid worker; the handling clock started at acceptance keeps running.
    /// Whether <paramref name="handlerId"/> works the case's grid is the caller's check (it needs the assignments).
    /// </summary>
    public CaseDispatched Dispatch(CaseActor actor, Guid handlerId, string handlerName, DateTimeOffset now, string? remark)
    {
        EnsureStatus("dispatch", CaseStatus.Accepted);
        EnsureRemark(remark, required: false);
        Status = CaseStatus.Dispatched;
        HandlerId = handlerId;
        HandlerName = handlerName.Length > 50 ? handlerName[..50] : handlerName;
        DispatchedAt = now;
        AddStep(CaseAction.Dispatched, actor.Id, actor.Name, actor.Role, now,
            string.IsNullOrWhiteSpace(remark) ? $"To {HandlerName}." : $"To {HandlerName}: {remark.Trim()}");
        return new CaseDispatched(Guid.CreateVersion7(now), now, DivisionCode, Id, GridCode, CategoryCode, handlerId, DueAt ?? now);
    }

    /// <summary>The handler says the case is not theirs: back to accepted, awaiting re-dispatch.</summary>
    public void Return(CaseActor actor, DateTimeOffset now, string? reason)
    {
        EnsureStatus("return", CaseStatus.Dispatched);
        EnsureRemark(reason, required: true, field: "remark");
        Status = CaseStatus.Accepted;
        HandlerId = null;
        HandlerName = null;
        ExtensionRequestedDays = null;
        AddStep(CaseAction.Returned, actor.Id, actor.Name, actor.Role, now, reason);
    }

    /// <summary>处置: the handler has dealt with it; the verification clock starts (until <paramref name="verifyBy"/>).</summary>
    public void Handle(CaseActor actor, DateTimeOffset now, string? remark, IReadOnlyList<string>? media, DateTimeOffset verifyBy)
    {
        EnsureStatus("handle", CaseStatus.Dispatched);
        EnsureRemark(remark, required: true, field: "remark");
        var mediaErrors = Validate("-", null, null, null, media);
        if (mediaErrors.Count > 0)
        {
            throw new DomainValidationException(mediaErrors);
        }
        EndStage(now);
        Status = CaseStatus.Handled;
        HandledAt = now;
        Resolution = remark!.Trim();
        ExtensionRequestedDays = null;
        StartStage(CaseStage.Verification, now, verifyBy);
        var step = AddStep(CaseAction.Handled, actor.Id, actor.Name, actor.Role, now, remark);
        step.AttachMedia(media);
    }

    /// <summary>
    /// 核查 passed. Verification and closing share the verification limit: the stage ends when the case is closed, so
    /// a verified case left unclosed still runs late.
    /// </summary>
    public void Verify(CaseActor actor, DateTimeOffset now, string? remark)
    {
        EnsureStatus("verify", CaseStatus.Handled);
        EnsureRemark(remark, required: false);
        MarkIfLate(now);
        Status = CaseStatus.Verified;
        VerifiedAt = now;
        AddStep(CaseAction.Verified, actor.Id, actor.Name, actor.Role, now, remark);
    }

    /// <summary>Verification failed (返工): back to the same handler, whose handling clock starts again.</summary>
    public void Reopen(CaseActor actor, DateTimeOffset now, string? reason, DateTimeOffset handleBy)
    {
        EnsureStatus("reopen", CaseStatus.Handled);
        EnsureRemark(reason, required: true, field: "remark");
        EndStage(now);
        Status = CaseStatus.Dispatched;
        Reworks++;
        HandledAt = null;
        StartStage(CaseStage.Handling, now, handleBy);
        AddStep(CaseAction.VerificationFailed, actor.Id, actor.Name, actor.Role, now, reason);
    }

    /// <summary>结案: a verified case is closed as resolved.</summary>
    public CaseClosed Close(CaseActor actor, DateTimeOffset now, string? remark)
    {
        EnsureStatus("close", CaseStatus.Verified);
        EnsureRemark(remark, required: false);
        EndStage(now);
        Status = CaseStatus.Closed;
        AddStep(CaseAction.Closed, actor.Id, actor.Name, actor.Role, now, remark);
        return Finish(now, CaseOutcome.Resolved);
    }

    /// <summary>The handler asks for <paramref name="days"/> more working days while the case is dispatched to them.</summary>
    public void RequestExtension(CaseActor actor, DateTimeOffset now, int days, string? reason)
    {
        EnsureStatus("request an extension for", CaseStatus.Dispatched);
        if (ExtensionRequestedDays is { } pending)
        {
            throw new ConflictException($"Case {Number} already has an extension of {pending} days waiting for a decision.");
        }
        if (days is < 1 or > MaxExtensionDays)
        {
            throw new DomainValidationException("days", $"1 to {MaxExtensionDays} working days.");
        }
        EnsureRemark(reason, required: true, field: "reason");
        ExtensionRequestedDays = days;
        AddStep(CaseAction.ExtensionRequested, actor.Id, actor.Name, actor.Role, now, $"{days} working days: {reason!.Trim()}");
    }

    /// <summary>The extension asked for; staff approve or refuse it.</summary>
    public int PendingExtension(string what) =>
        Status == CaseStatus.Dispatched && ExtensionRequestedDays is { } days
            ? days
            : throw new ConflictException($"Case {Number} has no extension waiting to {what} (status {Status}).");

    /// <summary>Approved: the handling limit moves to <paramref name="newDueAt"/> (the days asked, on the working calendar).</summary>
    public void ApproveExtension(CaseActor actor, DateTimeOffset now, string? remark, DateTimeOffset newDueAt)
    {
        var days = PendingExtension("approve");
        EnsureRemark(remark, required: false);
        ExtensionRequestedDays = null;
        Extensions++;
        DueAt = newDueAt;
        AddStep(CaseAction.ExtensionApproved, actor.Id, actor.Name, actor.Role, now,
            string.IsNullOrWhiteSpace(remark) ? $"{days} working days." : $"{days} working days: {remark.Trim()}");
    }

    /// <summary>Refused: the limit stays.</summary>
    public void RefuseExtension(CaseActor actor, DateTimeOffset now, string? reason)
    {
        PendingExtension("refuse");
        EnsureRemark(reason, required: true, field: "reason");
        ExtensionRequestedDays = null;
        AddStep(CaseAction.ExtensionRefused, actor.Id, actor.Name, actor.Role, now, reason);
    }

    /// <summary>
    /// This case is a duplicate of <paramref name="survivor"/>: it ends as merged and the survivor records where it came
    /// from. Both must be open and of the same category.
    /// </summary>
    public CaseClosed MergeInto(GridCase survivor, CaseActor actor, DateTimeOffset now, string? remark)
    {
        if (survivor.Id == Id)
        {
            throw new DomainValidationException("intoCaseId", "A case cannot be merged into itself.");
        }
        if (!IsOpen)
        {
            throw new ConflictException($"Case {Number} is {Status}: only an open case can be merged.");
        }
        if (!survivor.IsOpen)
        {
            throw new DomainValidationException("intoCaseId", $"Case {survivor.Number} is {survivor.Status}: only an open case takes a duplicate.");
        }
        if (survivor.CategoryCode != CategoryCode)
        {
            throw new DomainValidationException("intoCaseId",
                $"Case {survivor.Number} is {survivor.CategoryCode}, this one {CategoryCode}: only cases of the same category merge.");
        }
        EnsureRemark(remark, required: false);
        Status = CaseStatus.Merged;
        MergedInto = survivor.Id;
        HandlerId = null;
        HandlerName = null;
        ExtensionRequestedDays = null;
        AddStep(CaseAction.MergedInto, actor.Id, actor.Name, actor.Role, now,
            string.IsNullOrWhiteSpace(remark) ? $"Into {survivor.Number}." : $"Into {survivor.Number}: {remark.Trim()}");
        survivor.AddStep(CaseAction.MergedFrom, actor.Id, actor.Name, actor.Role, now, $"From {Number}.");
        return Finish(now, CaseOutcome.Merged);
    }

    /// <summary>409 naming the current status unless the case is <paramref name="required"/>.</summary>
    public void EnsureStatus(string what, CaseStatus required)
    {
        if (Status != required)
        {
            throw new ConflictException($"Cannot {what} case {Number}: it is {Status}, and only a {required} case can be.");
        }
    }

    private static void EnsureRemark(string? remark, bool required, string field = "remark")
    {
        if (required && string.IsNullOrWhiteSpace(remark))
        {
            throw new DomainValidationException(field, "A reason is required.");
        }
        if (remark is { Length: > MaxRemark })
        {
            throw new DomainValidationException(field, $"At most {MaxRemark} characters.");
        }
    }

    private void StartStage(CaseStage stage, DateTimeOffset now, DateTimeOffset dueAt)
    {
        Stage = stage;
        StageStartedAt = now;
        DueAt = dueAt;
    }

    private void MarkIfLate(DateTimeOffset now)
    {
        if (DueAt is { } due && now > due)
        {
            WentOverdue = true;
        }
    }

    /// <summary>The running stage ends now: late if past its limit.</summary>
    private void EndStage(DateTimeOffset now)
    {
        MarkIfLate(now);
        Stage = null;
    }

    /// <summary>Closed, rejected or merged: the clock stops (the last limit stays for the record).</summary>
    private CaseClosed Finish(DateTimeOffset now, CaseOutcome outcome)
    {
        Stage = null;
        ClosedAt = now;
        return new CaseClosed(Guid.CreateVersion7(now), now, DivisionCode, Id, GridCode, CategoryCode, outcome, ReportedAt,
            OnTime: !WentOverdue, Reworks, Extended: Extensions > 0, EscalationLevel, MergedInto);
    }
}
