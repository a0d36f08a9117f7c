using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Facts;

/// <summary>
/// An approved volunteer as assessment needs them: home station and categories (党政干部, 入党积极分子…), which decide
/// whose per-head yearly hours they count in. From <c>VolunteerApproved</c>; suspensions are <see cref="VolunteerStatusFact"/>.
/// </summary>
public sealed class VolunteerFact
{
    private VolunteerFact() { }

    public Guid VolunteerId { get; private set; }
    public string Name { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string HomeStationCode { get; private set; } = "";
    /// <summary>Category names as ",Cadre,PartyApplicant," (the volunteers service's own names), so a category is a LIKE.</summary>
    public string CategoryList { get; private set; } = ",";
    public DateTimeOffset ApprovedAt { get; private set; }

    public static string CategoryToken(string category) => $",{category},";

    public bool Has(string category) => CategoryList.Contains(CategoryToken(category), StringComparison.Ordinal);

    public static VolunteerFact From(Guid volunteerId, string name, DivisionCode division, string homeStationCode, IEnumerable<string> categories, DateTimeOffset approvedAt) =>
        new()
        {
            VolunteerId = volunteerId, Name = name, DivisionCode = division, HomeStationCode = homeStationCode,
            CategoryList = "," + string.Concat(categories.Distinct().Order(StringComparer.Ordinal).Select(c => $"{c},")), ApprovedAt = approvedAt,
        };
}

/// <summary>A suspension or reinstatement of a volunteer: their standing at any instant is the latest of these before it.</summary>
public sealed class VolunteerStatusFact
{
    private VolunteerStatusFact() { }

    public Guid EventId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public bool Suspended { get; private set; }

    public static VolunteerStatusFact From(Guid eventId, Guid volunteerId, DateTimeOffset at, bool suspended) =>
        new() { EventId = eventId, VolunteerId = volunteerId, OccurredAt = at, Suspended = suspended };
}

/// <summary>A ledger entry (<c>HoursCredited</c>): activities, care visits, entries by hand and corrections alike.</summary>
public sealed class HoursFact : IContributingFact
{
    private HoursFact() { }

    public Guid LedgerEntryId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public Guid? ActivityId { get; private set; }
    public Guid? CareVisitId { get; private set; }
    public long Hundredths { get; private set; }
    public DateTimeOffset CreditedAt { get; private set; }
    public string Month { get; private set; } = "";

    public static HoursFact From(Guid ledgerEntryId, Guid volunteerId, Guid? activityId, Guid? careVisitId, ServiceTime hours, DateTimeOffset at) =>
        new()
        {
            LedgerEntryId = ledgerEntryId, VolunteerId = volunteerId, ActivityId = activityId, CareVisitId = careVisitId,
            Hundredths = hours.Hundredths, CreditedAt = at, Month = Period.MonthOf(at),
        };

    public IEnumerable<CellContribution> Contributions()
    {
        yield return new(new(SubjectKind.Volunteer, VolunteerId.ToString(), Month, M.VolunteerHours), Hundredths);
    }
}

/// <summary>A volunteer service team (志愿服务队) and its home station.</summary>
public sealed class TeamFact
{
    private TeamFact() { }

    public Guid TeamId { get; private set; }
    public string Name { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string HomeStationCode { get; private set; } = "";
    public TeamTier Tier { get; private set; }
    public TeamType Type { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static TeamFact From(Guid teamId, string name, DivisionCode division, string homeStationCode, TeamTier tier, TeamType type, DateTimeOffset createdAt) =>
        new() { TeamId = teamId, Name = name, DivisionCode = division, HomeStationCode = homeStationCode, Tier = tier, Type = type, CreatedAt = createdAt };
}

/// <summary>A volunteer joining or leaving a team: membership at an instant is the latest of these for the pair before it.</summary>
public sealed class TeamMembershipFact
{
    private TeamMembershipFact() { }

    public Guid EventId { get; private set; }
    public Guid TeamId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public bool Joined { get; private set; }

    public static TeamMembershipFact From(Guid eventId, Guid teamId, Guid volunteerId, DateTimeOffset at, bool joined) =>
        new() { EventId = eventId, TeamId = teamId, VolunteerId = volunteerId, OccurredAt = at, Joined = joined };
}

/// <summary>A care visit (走访) to a recipient of a station's place (<c>CareVisitRecorded</c>).</summary>
public sealed class CareVisitFact : IContributingFact
{
    private CareVisitFact() { }

    public Guid VisitId { get; private set; }
    /// <summary>The recipient's station (the place's own station code).</summary>
    public string StationCode { get; private set; } = "";
    public Guid VolunteerId { get; private set; }
    public DateOnly VisitedOn { get; private set; }
    public string Month { get; private set; } = "";
    public long Hundredths { get; private set; }

    public static CareVisitFact From(Guid visitId, string stationCode, Guid volunteerId, DateOnly visitedOn, ServiceTime hours) =>
        new() { VisitId = visitId, StationCode = stationCode, VolunteerId = volunteerId, VisitedOn = visitedOn, Month = Period.MonthOf(visitedOn), Hundredths = hours.Hundredths };

    public IEnumerable<CellContribution> Contributions()
    {
        yield return new(new(SubjectKind.Station, StationCode, Month, M.CareVisits), 1);
    }
}
