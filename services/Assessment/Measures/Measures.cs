namespace PracticeMesh.Assessment.Measures;

/// <summary>Whose figure a cell holds.</summary>
public enum SubjectKind
{
    /// <summary>A practice station (实践站) or the institute's own site, by its station code.</summary>
    Station,
    /// <summary>A volunteer service team (志愿服务队), by its id.</summary>
    Team,
    /// <summary>A volunteer (志愿者), by its id.</summary>
    Volunteer,
}

/// <summary>
/// The names of the summable figures kept per subject and month (<see cref="MeasureCell"/>). Every figure is an
/// integer in its own unit (hours in hundredths, as <see cref="Contracts.ServiceTime"/> counts them), so sums are exact
/// and a rebuild equals the incremental total to the last digit. Figures that are states (six haves, staffing, team
/// members) or distinct counts (a team's participants in a year) are not cells: they are read from the facts as of a
/// period's end.
/// </summary>
public static class Measures
{
    // Station, per month (the month the activity started, the case was closed, the order was completed, the rating was given).
    /// <summary>Activities the station completed.</summary>
    public const string ActivitiesCompleted = "activities.completed";
    /// <summary>Completed activities that count toward the two a month (集中实践活动): announced in advance and attended by someone.</summary>
    public const string ActivitiesConcentrated = "activities.concentrated";
    /// <summary>Volunteer participations in the station's completed activities (one per volunteer and activity with credited time).</summary>
    public const string ActivityParticipants = "activities.participants";
    /// <summary>Hundredths of an hour credited for the station's activities.</summary>
    public const string ActivityHours = "activities.hours";
    /// <summary>Residents' ratings of the station's activities and orders (评单): how many, and the sum of their scores (1–5).</summary>
    public const string RatingsCount = "ratings.count";
    public const string RatingsSum = "ratings.sum";
    /// <summary>Orders (点单) completed, and completed by their due time.</summary>
    public const string OrdersCompleted = "orders.completed";
    public const string OrdersOnTime = "orders.onTime";
    /// <summary>Care visits (走访) to recipients of the station's place.</summary>
    public const string CareVisits = "care.visits";
    /// <summary>Grid cases of the station's village reported, closed as resolved, and closed as resolved within every time limit.</summary>
    public const string CasesReported = "cases.reported";
    public const string CasesClosed = "cases.closed";
    public const string CasesClosedOnTime = "cases.closedOnTime";

    // Team, per month.
    /// <summary>Activities the team held (completed with the team named).</summary>
    public const string TeamActivities = "team.activities";
    /// <summary>Hundredths of an hour credited at the team's activities.</summary>
    public const string TeamHours = "team.hours";

    // Volunteer, per month.
    /// <summary>Hundredths of an hour written to the volunteer's ledger (activities, care visits, by hand, corrections).</summary>
    public const string VolunteerHours = "volunteer.hours";
    /// <summary>Completed activities the volunteer was credited for.</summary>
    public const string VolunteerActivities = "volunteer.activities";
}
