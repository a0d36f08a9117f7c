namespace PracticeMesh.Assessment.Schemes;

/// <summary>The unit an indicator's value and target are in.</summary>
public enum TargetKind
{
    /// <summary>A count per month of the period (two concentrated activities a month): the target is multiplied by the period's months.</summary>
    CountPerMonth,
    /// <summary>A count per year (twelve team activities a year): the target is prorated by the period's months of twelve.</summary>
    CountPerYear,
    /// <summary>A share from 0 to 1 (participation 70 %, on time 90 %).</summary>
    Ratio,
    /// <summary>Hours per head in a year (20 h for cadres), prorated by the period's months of twelve.</summary>
    HoursPerHeadPerYear,
    /// <summary>Hours in the period (the station's service hours), as the target states them per month.</summary>
    HoursPerMonth,
    /// <summary>An average score from 1 to 5 (residents' ratings).</summary>
    Score,
    /// <summary>Yes or no (六有 met, staffing met): the value is 1 or 0, the target 1.</summary>
    Boolean,
}

/// <summary>An indicator the service can compute, and what its value means.</summary>
public sealed record IndicatorDefinition(string Code, string Name, TargetKind Unit, string Meaning);

/// <summary>
/// Every indicator a scheme may name, each computed from the facts as the seed states it. A scheme naming any other
/// code is refused. The value at the institute tier is over every station under the township (sums, or the share of
/// stations meeting a yes/no).
/// </summary>
public static class IndicatorCatalog
{
    public const string SixHaves = "sixHaves";
    public const string ConcentratedActivities = "concentratedActivities";
    public const string TeamActivities = "teamActivities";
    public const string TeamParticipation = "teamParticipation";
    public const string CadreHours = "cadreHoursPerHead";
    public const string TeamMemberHours = "teamHoursPerHead";
    public const string CandidateHours = "candidateHoursPerHead";
    public const string LeagueApplicantHours = "leagueApplicantHoursPerHead";
    public const string ServiceHours = "serviceHours";
    public const string AverageRating = "averageRating";
    public const string OrdersOnTime = "ordersOnTime";
    public const string CareVisits = "careVisits";
    public const string CasesClosedOnTime = "casesClosedOnTime";
    public const string StaffingMet = "staffingMet";

    public static readonly IReadOnlyList<IndicatorDefinition> All =
    [
        new(SixHaves, "六有达标", TargetKind.Boolean, "The station's six haves (六有) all passed at the period's end; for an institute, the share of its stations that are."),
        new(ConcentratedActivities, "集中实践活动", TargetKind.CountPerMonth, "Completed activities announced in advance and attended by someone (seed: at least 2 a month)."),
        new(TeamActivities, "队伍活动次数", TargetKind.CountPerYear, "Activities per team of the station's teams (seed: at least 12 a year)."),
        new(TeamParticipation, "队伍参与率", TargetKind.Ratio, "Share of the teams' members at the period's end who took part in at least one of their team's activities (seed: 70 %)."),
        new(CadreHours, "干部人均服务时长", TargetKind.HoursPerHeadPerYear, "Hours per head of the station's cadre volunteers (党政干部, seed: 20 h a year)."),
        new(TeamMemberHours, "队伍人均服务时长", TargetKind.HoursPerHeadPerYear, "Hours per head of the members of the station's teams (seed: 20 h a year)."),
        new(CandidateHours, "入党及拟提拔人员人均服务时长", TargetKind.HoursPerHeadPerYear, "Hours per head of party applicants and promotion candidates (seed: 25 h a year)."),
        new(LeagueApplicantHours, "入团积极分子人均服务时长", TargetKind.HoursPerHeadPerYear, "Hours per head of youth-league applicants (seed: 10 h a year)."),
        new(ServiceHours, "志愿服务时长", TargetKind.HoursPerMonth, "Volunteer hours credited at the station's activities."),
        new(AverageRating, "群众评价", TargetKind.Score, "Residents' average rating of the station's activities and orders (评单, 1–5)."),
        new(OrdersOnTime, "点单按时办结率", TargetKind.Ratio, "Share of completed orders done by their due time."),
        new(CareVisits, "走访帮扶", TargetKind.CountPerMonth, "Care visits (走访) to the station's recipients."),
        new(CasesClosedOnTime, "网格事件按时办结率", TargetKind.Ratio, "Share of the village's grid cases closed as resolved within every time limit."),
        new(StaffingMet, "人员配备达标", TargetKind.Boolean, "The site's staffing minimum met at the period's end; for an institute, its own site and the share of its stations."),
    ];

    public static IndicatorDefinition? Find(string? code) => All.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.Ordinal));
}
