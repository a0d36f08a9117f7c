using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Facts;

/// <summary>A practice site from the registry: what is scored, and the name shown beside its score.</summary>
public sealed class StationFact
{
    private StationFact() { }

    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string Name { get; private set; } = "";
    public StationKind Kind { get; private set; }
    public string? ParentStationCode { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    /// <summary>When the name was last stated: an older update arriving late does not undo a newer one.</summary>
    public DateTimeOffset NamedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int Version { get; private set; }

    /// <summary>Scored for a period when registered before its end and not closed before its start.</summary>
    public bool ScoredIn(Period period) => RegisteredAt < period.End && (ClosedAt is null || ClosedAt >= period.Start);

    /// <summary>
    /// <see cref="RegisteredAt"/> of a station heard of first by an update or a closure: registered before assessment
    /// kept its facts (or its registration is still on the way), so it counts as registered since ever until the
    /// registration states the time.
    /// </summary>
    public static readonly DateTimeOffset RegisteredBeforeFacts = DateTimeOffset.MinValue;

    /// <summary>The registration has been heard (an update or closure alone does not say when the site was registered).</summary>
    public bool RegistrationHeard => RegisteredAt != RegisteredBeforeFacts;

    public static StationFact From(string stationCode, DivisionCode division, string name, StationKind kind, string? parent, DateTimeOffset registeredAt) =>
        new() { StationCode = stationCode, DivisionCode = division, Name = name, Kind = kind, ParentStationCode = parent, RegisteredAt = registeredAt, NamedAt = registeredAt };

    /// <summary>
    /// A station first heard of by an update or a closure: what the event carries (its code and place), its kind from
    /// the code (a unit station's letter, else the division's tier), its code as a name until a name is stated.
    /// </summary>
    public static StationFact Heard(string stationCode, DivisionCode division)
    {
        var kind = Contracts.StationCode.TryParse(stationCode, out var code) && code.UnitKind is { } unit ? unit
            : division.Tier switch
            {
                DivisionTier.County => StationKind.CountyCentre,
                DivisionTier.Township => StationKind.Institute,
                _ => StationKind.Village,
            };
        return new()
        {
            StationCode = stationCode, DivisionCode = division, Name = stationCode, Kind = kind,
            RegisteredAt = RegisteredBeforeFacts, NamedAt = RegisteredBeforeFacts,
        };
    }

    /// <summary>
    /// The registration arrives after an update or closure: it states the kind, parent and time; its name yields to an
    /// update of the same instant or later (an update wins ties, as <see cref="Rename"/> does), so every order ends alike.
    /// </summary>
    public void Registered(DivisionCode division, string name, StationKind kind, string? parent, DateTimeOffset at)
    {
        DivisionCode = division;
        Kind = kind;
        ParentStationCode = parent;
        RegisteredAt = at;
        if (at > NamedAt)
        {
            Name = name;
            NamedAt = at;
        }
        Version++;
    }

    public void Rename(string name, DateTimeOffset at)
    {
        if (at >= NamedAt)
        {
            Name = name;
            NamedAt = at;
        }
        Version++;
    }

    /// <summary>A site is closed once; a repeated statement keeps the earliest closure.</summary>
    public void Close(DateTimeOffset at)
    {
        if (ClosedAt is null || at < ClosedAt)
        {
            ClosedAt = at;
        }
        Version++;
    }
}

/// <summary>A six-haves (六有) verdict: a station's standing at an instant is the latest verdict before it.</summary>
public sealed class SixHavesFact
{
    private SixHavesFact() { }

    public Guid EventId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public int PassedItems { get; private set; }
    public int RequiredItems { get; private set; }
    public bool Compliant { get; private set; }

    public static SixHavesFact From(Guid eventId, string stationCode, DateTimeOffset at, int passed, int required, bool compliant) =>
        new() { EventId = eventId, StationCode = stationCode, OccurredAt = at, PassedItems = passed, RequiredItems = required, Compliant = compliant };
}

/// <summary>A staffing statement (<c>StaffingChanged</c>): the latest before an instant says whether the minimum was met then.</summary>
public sealed class StaffingFact
{
    private StaffingFact() { }

    public Guid EventId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public int StaffCount { get; private set; }
    public int? RequiredMin { get; private set; }
    public bool Met { get; private set; }

    public static StaffingFact From(Guid eventId, string stationCode, DateTimeOffset at, int staff, int? requiredMin, bool met) =>
        new() { EventId = eventId, StationCode = stationCode, OccurredAt = at, StaffCount = staff, RequiredMin = requiredMin, Met = met };
}

/// <summary>
/// A grid case of a village (网格化管理), merged from <c>CaseReported</c> and <c>CaseClosed</c> in any order: reported
/// in the month it was reported, closed (resolved, and on time) in the month it was closed.
/// </summary>
public sealed class CaseFact : IContributingFact
{
    private CaseFact() { }

    public Guid CaseId { get; private set; }
    /// <summary>The village's code: its own station's code.</summary>
    public string StationCode { get; private set; } = "";
    public string? GridCode { get; private set; }
    public string Category { get; private set; } = "";
    public DateTimeOffset ReportedAt { get; private set; }
    public string ReportedMonth { get; private set; } = "";
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedMonth { get; private set; }
    public CaseOutcome? Outcome { get; private set; }
    public bool OnTime { get; private set; }
    public int EscalationLevel { get; private set; }
    public int Version { get; private set; }

    public bool Resolved => Outcome == CaseOutcome.Resolved;

    public static CaseFact Start(Guid caseId, string stationCode, string? gridCode, string category, DateTimeOffset reportedAt) =>
        new() { CaseId = caseId, StationCode = stationCode, GridCode = gridCode, Category = category, ReportedAt = reportedAt, ReportedMonth = Period.MonthOf(reportedAt) };

    /// <summary>
    /// The report (<c>CaseReported</c>) states when the case was reported, whether it arrives before or after the closure:
    /// its time wins over the closure's copy, so the month it counts in is the same in any order.
    /// </summary>
    public void Reported(DateTimeOffset at)
    {
        ReportedAt = at;
        ReportedMonth = Period.MonthOf(at);
        Version++;
    }

    /// <summary>The closure states where the case ended up (a case may be moved to another grid or category before it closes).</summary>
    public void Placed(string? gridCode, string category)
    {
        GridCode = gridCode;
        Category = category;
        Version++;
    }

    public void Close(DateTimeOffset at, CaseOutcome outcome, bool onTime, int escalationLevel)
    {
        ClosedAt = at;
        ClosedMonth = Period.MonthOf(at);
        Outcome = outcome;
        OnTime = onTime;
        EscalationLevel = Math.Max(EscalationLevel, escalationLevel);
        Version++;
    }

    public void Escalated(int level)
    {
        EscalationLevel = Math.Max(EscalationLevel, level);
        Version++;
    }

    public IEnumerable<CellContribution> Contributions()
    {
        yield return new(new(SubjectKind.Station, StationCode, ReportedMonth, M.CasesReported), 1);
        if (Resolved && ClosedMonth is { } closed)
        {
            yield return new(new(SubjectKind.Station, StationCode, closed, M.CasesClosed), 1);
            if (OnTime)
            {
                yield return new(new(SubjectKind.Station, StationCode, closed, M.CasesClosedOnTime), 1);
            }
        }
    }
}
