using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Escalation;

namespace PracticeMesh.Grid.Cases;

public sealed partial class GridCase
{
    /// <summary>The county: above it there is nowhere to go.</summary>
    public const int TopEscalationLevel = 3;

    /// <summary>The tier a level reaches: 1 the case's village, 2 its township, 3 its county.</summary>
    public static DivisionCode TierOf(DivisionCode village, int level) => level switch
    {
        1 => village,
        2 => village.Township,
        _ => village.County,
    };

    /// <summary>
    /// When the case goes up to the next tier: its current stage's limit (<see cref="DueAt"/>) has run out at the grid;
    /// each tier above then has as much working time again (<paramref name="stageLimitsAgo"/> counts
    /// <see cref="EscalationLevel"/> of the stage's limits after <see cref="DueAt"/>). Null when it never will: closed,
    /// already at the county, or a minor category handled in its grid (<paramref name="staysInGrid"/>).
    /// </summary>
    public DateTimeOffset? NextEscalationAt(bool staysInGrid, Func<int, DateTimeOffset> stageLimitsAgo) =>
        !IsOpen || staysInGrid || Stage is null || DueAt is not { } due || EscalationLevel >= TopEscalationLevel
            ? null
            : EscalationLevel == 0 ? due : stageLimitsAgo(EscalationLevel);

    /// <summary>
    /// Sends the case up one tier (grid → village → township → county) when <paramref name="escalateAt"/> (from
    /// <see cref="NextEscalationAt"/>) has passed: the case went overdue, the step is kept with no actor (the system),
    /// and the next tier gets a notice and the event. Null when it is not yet time.
    /// </summary>
    public (CaseEscalation Notice, CaseEscalated Event)? EscalateIfDue(DateTimeOffset now, DateTimeOffset? escalateAt)
    {
        if (escalateAt is not { } at || now < at || !IsOpen || Stage is not { } stage || DueAt is not { } due || EscalationLevel >= TopEscalationLevel)
        {
            return null;
        }
        var level = EscalationLevel + 1;
        var tier = TierOf(DivisionCode, level);
        EscalationLevel = level;
        EscalatedTo = tier;
        EscalatedAt = now;
        WentOverdue = true;
        AddStep(CaseAction.Escalated, null, null, null, now,
            $"{stage} overdue since {due.ToOffset(ServiceDefaults.ChinaTime.Offset):yyyy-MM-dd HH:mm}: sent up to {TierName(level)} {tier}.");
        var notice = new CaseEscalation(Id, Number, DivisionCode, GridCode, CategoryCode, stage, level, tier, due, now);
        return (notice, new CaseEscalated(Guid.CreateVersion7(now), now, DivisionCode, Id, GridCode, CategoryCode, stage, level, tier, due));
    }

    private static string TierName(int level) => level switch
    {
        1 => "the village",
        2 => "the township",
        _ => "the county",
    };
}
