using System.Globalization;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.WebConsole.Api;

namespace PracticeMesh.WebConsole.Components.Pages.Dashboard;

// The shapes of the services' answers the dashboard reads (only the fields it shows).
public sealed record TeamCadenceRow(Guid TeamId, string? Name, int HeldActivities, int RequiredActivities, decimal ParticipationRate, decimal RequiredRate);
public sealed record TeamCadenceList(string Under, int Year, int TeamsConsidered, IReadOnlyList<TeamCadenceRow> Below);
public sealed record ObligationGroup(string Key, string? Name, int Volunteers, int WithObligation, int Met, int Behind, decimal RequiredHours, decimal DoneHours);
public sealed record ObligationReport(int Year, string Under, IReadOnlyList<ObligationGroup> Groups);
public sealed record CasePage(int Page, int PageSize, int Total);
public sealed record OrderCounts(string Under, int Placed, int Dispatched, int Accepted, int Overdue);
public sealed record RankingItem(int Rank, string Subject, string? Name, decimal Total, int Stars, string? StarName);
public sealed record RankingResponse(string Period, string Tier, string Under, IReadOnlyList<RankingItem> Items);
public sealed record IndicatorSeries(string Indicator, string Name, IReadOnlyList<string> Labels, IReadOnlyList<decimal?> Values);
public sealed record NamedSeries(string Name, IReadOnlyList<double?> Data);
public sealed record CaseSeries(IReadOnlyList<string> Labels, IReadOnlyList<NamedSeries> Series);
public sealed record StationRow(string Code, string Name, string Tier, string Kind);

/// <summary>A volunteer category the dashboard counts as one figure, and the obligation keys it gathers.</summary>
public sealed record VolunteerCategoryFigure(string Key, IReadOnlyList<string> ObligationKeys, int Behind, int WithObligation);

/// <summary>
/// What the dashboard asks the API for a person, and what it makes of the answers. Every read is scoped by the API to
/// the person's division; the dashboard also names that division as <c>under</c>, so a township admin's page asks
/// only for their township.
/// </summary>
public static class DashboardReads
{
    /// <summary>The obligation categories as the domain states them: cadres, team members, candidates (party and promotion), league applicants.</summary>
    public static readonly IReadOnlyList<(string Key, string[] ObligationKeys)> Categories =
    [
        ("Cadre", ["Cadre"]),
        ("TeamMember", ["TeamMember"]),
        ("Candidate", ["PartyApplicant", "PromotionCandidate"]),
        ("LeagueApplicant", ["LeagueApplicant"]),
    ];

    public static string MonthText(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string StationCadence(string under, DateOnly today) => $"/api/v1/activities/cadence/stations?under={under}&month={MonthText(today)}";

    public static string TeamCadence(string under, DateOnly today) => $"/api/v1/activities/cadence/teams?under={under}&year={today.Year}";

    public static string Obligations(string under, DateOnly today) => $"/api/v1/volunteers/obligations?year={today.Year}&under={under}&groupBy=Category";

    public static string OpenCases(string under) => $"/api/v1/grid/cases?under={under}&open=true&page=1&pageSize=1";

    public static string OverdueCases(string under) => $"/api/v1/grid/cases?under={under}&open=true&overdue=true&page=1&pageSize=1";

    public static string Orders(string under) => $"/api/v1/activities/orders/counts?under={under}";

    /// <summary>
    /// Institutes rank within the county, stations within their township: a county admin sees the institutes, anyone
    /// else the stations of their township (a station admin's scope narrows it to their own station).
    /// </summary>
    public static string Rankings(SignedInPerson person, DateOnly today) =>
        person.Role == PracticeMeshRoles.CountyAdmin
            ? $"/api/v1/assessment/rankings?period={today.Year}&tier=Institute&under={person.Division}"
            : $"/api/v1/assessment/rankings?period={today.Year}&tier=Station&under={Township(person.Division)}";

    public static string Township(string division) => division.Length >= 9 ? division[..9] : division;

    /// <summary>The subjects of the monthly charts: a county's townships, or the person's own township or station.</summary>
    public static bool ChartsByTownship(SignedInPerson person) => person.Role is PracticeMeshRoles.CountyAdmin or PracticeMeshRoles.TownshipAdmin;

    public static string IndicatorSeriesPath(string indicator, string subject, bool institute) =>
        $"/api/v1/assessment/series?indicator={indicator}&tier={(institute ? "Institute" : "Station")}&subject={subject}";

    public static string CaseSeriesPath(string under, DateOnly today) =>
        $"/api/v1/grid/statistics/series?under={under}&from={DayText(new DateOnly(today.Year, 1, 1))}&to={DayText(today)}&interval=month";

    /// <summary>
    /// A team is on track when its activities so far reach the share of its yearly number that the months begun
    /// (China time) make up, and its participation reaches the rate; teams not listed below the yearly rule met it already.
    /// </summary>
    public static bool OnTrack(TeamCadenceRow team, DateOnly today) =>
        team.HeldActivities >= Math.Ceiling(team.RequiredActivities * today.Month / 12m) && team.ParticipationRate >= team.RequiredRate;

    public static int TeamsOnTrack(TeamCadenceList list, DateOnly today) => list.TeamsConsidered - list.Below.Count(t => !OnTrack(t, today));

    public static IReadOnlyList<VolunteerCategoryFigure> BehindByCategory(ObligationReport report) =>
        [.. Categories.Select(c =>
        {
            var groups = report.Groups.Where(g => c.ObligationKeys.Contains(g.Key, StringComparer.Ordinal)).ToList();
            return new VolunteerCategoryFigure(c.Key, c.ObligationKeys, groups.Sum(g => g.Behind), groups.Sum(g => g.WithObligation));
        })];

    /// <summary>Hours this year: each volunteer counts once in the report by category, so its groups add up to the whole.</summary>
    public static decimal HoursThisYear(ObligationReport report) => report.Groups.Sum(g => g.DoneHours);

    /// <summary>"2026-03" as 3月 (or Mar in English); other labels as they come.</summary>
    public static string MonthLabel(string label) =>
        DateOnly.TryParseExact(label, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month.ToString(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? "M月" : "MMM", CultureInfo.CurrentUICulture)
            : label;

    public static DateOnly Today(TimeProvider time) => ChinaTime.Today(time.GetUtcNow());
}
