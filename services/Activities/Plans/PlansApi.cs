using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Plans;

public sealed record PlanMonth(int Month, IReadOnlyList<ActivitySummary> Activities);

public sealed record YearlyPlan(string StationCode, int Year, IReadOnlyList<PlanMonth> Months);

/// <summary>Why an activity of the month does not count towards the station's concentrated activities.</summary>
public enum UncountedReason
{
    /// <summary>Never published (a draft).</summary>
    NotPublished,
    Cancelled,
    /// <summary>Published but not (yet) completed.</summary>
    NotCompleted,
    /// <summary>Published less than Activities:AnnounceDaysAhead days before its start (提前发布预告).</summary>
    AnnouncedLate,
    /// <summary>No volunteer checked in and no resident was counted at completion.</summary>
    NobodyAttended,
}

public sealed record UncountedActivity(Guid Id, string Title, DateTimeOffset StartsAt, ActivityStatus Status, DateTimeOffset? PublishedAt,
    IReadOnlyList<UncountedReason> Reasons);

/// <summary>
/// A station's month: <see cref="HeldActivities"/> completed, of which <see cref="CountedActivities"/> count (announced
/// in advance and attended) against <see cref="Required"/>; every other activity of the month with its reasons.
/// </summary>
public sealed record StationCadence(string StationCode, string Month, int HeldActivities, int Required, bool Met, int CountedActivities = 0,
    int AnnounceDaysAhead = 0, IReadOnlyList<UncountedActivity>? NotCounted = null, string? StationName = null);

/// <summary>
/// The stations of a township or county below the rule in a month: <see cref="StationsConsidered"/> stations (not the
/// centre or the institutes) of which <see cref="StationsMet"/> met it; <see cref="Below"/> lists the rest, at most a list's worth.
/// </summary>
public sealed record StationCadenceList(string Under, string Month, int Required, int StationsConsidered, IReadOnlyList<StationCadence> Below,
    int StationsMet = 0);

public sealed record TeamCadence(Guid TeamId, int Year, int HeldActivities, int RequiredActivities, int Members, int Participants,
    decimal ParticipationRate, decimal RequiredRate, bool ActivitiesMet, bool ParticipationMet, string? Name = null,
    IReadOnlyList<Guid>? SubTeamsCounted = null);

/// <summary>The teams of a township or county below 12 activities or 70 % participation in a year.</summary>
public sealed record TeamCadenceList(string Under, int Year, bool CountsSubTeams, int TeamsConsidered, IReadOnlyList<TeamCadence> Below);

/// <summary>
/// Yearly plans (public: residents read them without signing in), their CSV/XLSX export and iCalendar feeds, and
/// the cadence reports (per station per month; per team per year).
/// </summary>
public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this RouteGroupBuilder api)
    {
        api.MapGet("/plans/{stationCode}/{year:int}", PlanAsync).WithName("GetYearlyPlan")
            .WithSummary("A station's yearly plan, month by month (public); ?format=csv or xlsx to export")
            .AllowAnonymous();
        api.MapGet("/feeds/stations/{stationCode}.ics", StationFeedAsync).WithName("GetStationCalendarFeed")
            .WithSummary("iCalendar feed of a station's announced activities (public, subscribable)").AllowAnonymous();
        api.MapGet("/feeds/townships/{township}.ics", TownshipFeedAsync).WithName("GetTownshipCalendarFeed")
            .WithSummary("iCalendar feed of every announced activity in a township (public, subscribable)").AllowAnonymous();
        api.MapGet("/cadence/stations/{stationCode}/{month}", StationCadenceAsync).WithName("GetStationCadence")
            .WithSummary("Concentrated activities held in a month against Activities:StationActivitiesPerMonth; those not counted, with why")
            .WithDescription("An activity counts when it was completed, announced at least Activities:AnnounceDaysAhead days before its start, and attended (a volunteer checked in, or residents counted at completion).")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/cadence/stations", StationsBelowAsync).WithName("ListStationsBelowCadence")
            .WithSummary("The stations of a township or county (?under=) below the monthly rule in ?month=yyyy-MM")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/cadence/teams", TeamsBelowAsync).WithName("ListTeamsBelowCadence")
            .WithSummary("The teams of a township or county (?under=) below 12 activities or 70 % participation in ?year=")
            .WithDescription("With Activities:TeamCadenceCountsSubTeams a sub-team's activities count for its parent team too.")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/cadence/teams/{teamId:guid}/{year:int}", TeamCadenceAsync).WithName("GetTeamCadence")
            .WithSummary("A team's activities in a year against 12, and participation against 70 % of its members")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        return api;
    }

    /// <summary>What the public sees: announced activities (published, held or cancelled), never drafts.</summary>
    private static IQueryable<Activity> Announced(ActivitiesDbContext db) => db.Activities.AsNoTracking().Where(a => a.Status != ActivityStatus.Draft);

    public static async Task<IResult> PlanAsync(string stationCode, int year, string? format, ActivitiesDbContext db, AcceptedDates dates, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (from, to) = ChinaTime.Year(dates.EnsureYear("year", year));
        var now = time.GetUtcNow();
        var activities = (await Announced(db).Where(a => a.StationCode == stationCode && a.StartsAt >= from && a.StartsAt < to)
            .ToListAsync(cancellationToken)).OrderBy(a => a.StartsAt).Select(a => ActivitySummary.From(a, now)).ToList();
        switch (format?.ToLowerInvariant())
        {
            case null or "" or "json":
                var months = Enumerable.Range(1, 12)
                    .Select(m => new PlanMonth(m, activities.Where(a => a.StartsAt.ToOffset(ChinaTime.Offset).Month == m).ToList())).ToList();
                return TypedResults.Ok(new YearlyPlan(stationCode, year, months));
            case "csv":
                return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ToCsv(activities))).ToArray(),
                    "text/csv; charset=utf-8", $"plan-{stationCode}-{year}.csv");
            case "xlsx":
                var stream = new MemoryStream();
                await MiniExcelLibs.MiniExcel.SaveAsAsync(stream, activities.Select(Row).ToList(), cancellationToken: cancellationToken);
                return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"plan-{stationCode}-{year}.xlsx");
            default:
                throw new DomainValidationException("format", "json, csv or xlsx.");
        }
    }

    public static async Task<IResult> StationFeedAsync(string stationCode, ActivitiesDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await FeedAsync(Announced(db).Where(a => a.StationCode == stationCode), $"实践站 {stationCode}", time, cancellationToken);

    public static async Task<IResult> TownshipFeedAsync(string township, ActivitiesDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (township.Length != 9 || !township.All(char.IsAsciiDigit))
        {
            throw new DomainValidationException("township", "A township is a 9-digit division code.");
        }
        return await FeedAsync(Announced(db).Where(a => ((string)a.DivisionCode).StartsWith(township)), $"实践所 {township}", time, cancellationToken);
    }

    private static async Task<IResult> FeedAsync(IQueryable<Activity> activities, string name, TimeProvider time, CancellationToken cancellationToken)
    {
        // A phone calendar wants what is coming and a little of what has been.
        var now = time.GetUtcNow();
        var since = now.AddDays(-90);
        var list = await activities.Where(a => a.EndsAt > since).OrderBy(a => a.StartsAt).Take(2000).ToListAsync(cancellationToken);
        return TypedResults.Text(ICalendar.Write(name, list, now), "text/calendar; charset=utf-8");
    }

    public static async Task<StationCadence> StationCadenceAsync(string stationCode, string month, ActivitiesDbContext db, Caller caller, ActivitiesOptions options,
        AcceptedDates dates, CancellationToken cancellationToken)
    {
        var first = dates.EnsureMonth("month", month);
        if (!stationCode.StartsWith(caller.DivisionScope, StringComparison.Ordinal))
        {
            throw new NotFoundException($"No station {stationCode}.");
        }
        var activities = await MonthAsync(db.Activities.Where(a => a.StationCode == stationCode), first, cancellationToken);
        return Cadence(stationCode, null, month, activities, options);
    }

    public static async Task<StationCadenceList> StationsBelowAsync(string? under, string? month, ActivitiesDbContext db, Caller caller,
        ActivitiesOptions options, AcceptedDates dates, CancellationToken cancellationToken)
    {
        var first = dates.EnsureMonth("month", month);
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            return new StationCadenceList(under ?? "", month!, options.StationActivitiesPerMonth, 0, []);
        }
        var (from, _) = ChinaTime.Month(first);
        // A station closed before the month began owes it nothing; the centre and the institutes are not stations.
        var stations = (await db.Stations.AsNoTracking().Where(st => ((string)st.DivisionCode).StartsWith(prefix)).ToListAsync(cancellationToken))
            .Where(st => (st.ClosedAt is not { } closed || closed >= from) && StationCode.TryParse(st.Code, out var code) && code.IsStation)
            .OrderBy(st => st.Code).ToList();
        var byStation = (await MonthAsync(db.Activities.Where(a => ((string)a.DivisionCode).StartsWith(prefix)), first, cancellationToken))
            .ToLookup(a => a.StationCode);
        var below = stations.Select(st => Cadence(st.Code, st.Name, month!, byStation[st.Code].ToList(), options)).Where(c => !c.Met).ToList();
        return new StationCadenceList(prefix, month!, options.StationActivitiesPerMonth, stations.Count,
            below.Take(ActivitiesApi.MaxListItems).ToList(), stations.Count - below.Count);
    }

    /// <summary>An activity of the month as the cadence weighs it.</summary>
    private sealed record MonthActivity(Guid Id, string StationCode, string Title, DateTimeOffset StartsAt, ActivityStatus Status, DateTimeOffset? PublishedAt,
        int ResidentAttendeeCount, bool VolunteerPresent);

    private static async Task<List<MonthActivity>> MonthAsync(IQueryable<Activity> activities, DateOnly first, CancellationToken cancellationToken)
    {
        var (from, to) = ChinaTime.Month(first);
        return await activities.AsNoTracking().Where(a => a.StartsAt >= from && a.StartsAt < to)
            .OrderBy(a => a.StartsAt)
            .Select(a => new MonthActivity(a.Id, a.StationCode, a.Title, a.StartsAt, a.Status, a.PublishedAt, a.ResidentAttendeeCount,
                a.SignUps.Any(su => su.CheckedInAt != null)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// "每月至少开展2次集中实践活动, 并提前发布预告": a completed activity counts when it was announced at least the lead time
    /// before its start and somebody attended.
    /// </summary>
    private static StationCadence Cadence(string stationCode, string? name, string month, IReadOnlyList<MonthActivity> activities, ActivitiesOptions options)
    {
        var lead = TimeSpan.FromDays(options.AnnounceDaysAhead);
        var counted = 0;
        var notCounted = new List<UncountedActivity>();
        foreach (var a in activities)
        {
            var reasons = new List<UncountedReason>();
            switch (a.Status)
            {
                case ActivityStatus.Draft:
                    reasons.Add(UncountedReason.NotPublished);
                    break;
                case ActivityStatus.Cancelled:
                    reasons.Add(UncountedReason.Cancelled);
                    break;
                case not ActivityStatus.Completed:
                    reasons.Add(UncountedReason.NotCompleted);
                    break;
            }
            if (a.PublishedAt is { } published && a.StartsAt - published < lead)
            {
                reasons.Add(UncountedReason.AnnouncedLate);
            }
            if (a.Status == ActivityStatus.Completed && !a.VolunteerPresent && a.ResidentAttendeeCount == 0)
            {
                reasons.Add(UncountedReason.NobodyAttended);
            }
            if (reasons.Count == 0)
            {
                counted++;
            }
            else
            {
                notCounted.Add(new UncountedActivity(a.Id, a.Title, a.StartsAt, a.Status, a.PublishedAt, reasons));
            }
        }
        var held = activities.Count(a => a.Status == ActivityStatus.Completed);
        return new StationCadence(stationCode, month, held, options.StationActivitiesPerMonth, counted >= options.StationActivitiesPerMonth, counted,
            options.AnnounceDaysAhead, notCounted, name);
    }

    public static async Task<TeamCadence> TeamCadenceAsync(Guid teamId, int year, ActivitiesDbContext db, Caller caller, ActivitiesOptions options,
        AcceptedDates dates, CancellationToken cancellationToken)
    {
        dates.EnsureYear("year", year);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken);
        if (team is null || !caller.Covers(team.DivisionCode))
        {
            throw new NotFoundException($"No team {teamId}.");
        }
        return (await TeamCadencesAsync(db, [team], year, options, cancellationToken)).Single();
    }

    public static async Task<TeamCadenceList> TeamsBelowAsync(string? under, int? year, ActivitiesDbContext db, Caller caller, ActivitiesOptions options,
        AcceptedDates dates, CancellationToken cancellationToken)
    {
        var y = dates.EnsureYear("year", year ?? 0);
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            return new TeamCadenceList(under ?? "", y, options.TeamCadenceCountsSubTeams, 0, []);
        }
        var teams = await db.Teams.AsNoTracking().Where(t => ((string)t.DivisionCode).StartsWith(prefix)).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var below = (await TeamCadencesAsync(db, teams, y, options, cancellationToken)).Where(c => !c.ActivitiesMet || !c.ParticipationMet)
            .Take(ActivitiesApi.MaxListItems).ToList();
        return new TeamCadenceList(prefix, y, options.TeamCadenceCountsSubTeams, teams.Count, below);
    }

    /// <summary>
    /// Each team's year: its completed activities (with Activities:TeamCadenceCountsSubTeams, its sub-teams' too, at any
    /// depth) against 12, and the share of its members credited in at least one of them against 70 %.
    /// </summary>
    private static async Task<List<TeamCadence>> TeamCadencesAsync(ActivitiesDbContext db, IReadOnlyList<KnownTeam> teams, int year, ActivitiesOptions options,
        CancellationToken cancellationToken)
    {
        if (teams.Count == 0)
        {
            return [];
        }
        var counted = teams.ToDictionary(t => t.Id, t => new List<Guid>());
        if (options.TeamCadenceCountsSubTeams)
        {
            // Sub-teams are organised within their parent's county; the read model's parent links give the tree.
            var counties = teams.Select(t => t.DivisionCode.County.Value).Distinct().ToList();
            var children = (await db.Teams.AsNoTracking().Where(t => t.ParentTeamId != null).Select(t => new { t.Id, t.ParentTeamId, t.DivisionCode })
                    .ToListAsync(cancellationToken))
                .Where(t => counties.Contains(t.DivisionCode.County.Value)).ToLookup(t => t.ParentTeamId!.Value, t => t.Id);
            foreach (var team in teams)
            {
                var pending = new Queue<Guid>(children[team.Id]);
                while (pending.TryDequeue(out var child))
                {
                    // A parent link that loops back (a bad record) must not loop here.
                    if (child != team.Id && !counted[team.Id].Contains(child))
                    {
                        counted[team.Id].Add(child);
                        foreach (var grandchild in children[child])
                        {
                            pending.Enqueue(grandchild);
                        }
                    }
                }
            }
        }
        var ids = counted.Keys.Concat(counted.Values.SelectMany(v => v)).Distinct().ToList();
        var (from, to) = ChinaTime.Year(year);
        var held = await db.Activities.AsNoTracking()
            .Where(a => a.TeamId != null && ids.Contains(a.TeamId.Value) && a.Status == ActivityStatus.Completed && a.StartsAt >= from && a.StartsAt < to)
            .Select(a => new { a.Id, TeamId = a.TeamId!.Value }).ToListAsync(cancellationToken);
        var heldIds = held.Select(a => a.Id).ToList();
        var credited = (await db.SignUps.AsNoTracking().Where(su => su.CreditedHours != null && heldIds.Contains(su.ActivityId))
            .Select(su => new { su.ActivityId, su.VolunteerId }).ToListAsync(cancellationToken)).ToLookup(su => su.ActivityId, su => su.VolunteerId);
        var ownIds = counted.Keys.ToList();
        var members = (await db.TeamMembers.AsNoTracking().Where(m => m.IsMember && ownIds.Contains(m.TeamId)).Select(m => new { m.TeamId, m.VolunteerId })
            .ToListAsync(cancellationToken)).ToLookup(m => m.TeamId, m => m.VolunteerId);
        var byTeam = held.ToLookup(a => a.TeamId, a => a.Id);
        return teams.Select(team =>
        {
            var activities = byTeam[team.Id].Concat(counted[team.Id].SelectMany(sub => byTeam[sub])).ToList();
            var teamMembers = members[team.Id].ToHashSet();
            // Participation: members credited in at least one of the counted activities this year.
            var participating = activities.SelectMany(a => credited[a]).Where(teamMembers.Contains).Distinct().Count();
            var rate = teamMembers.Count == 0 ? 0m : Math.Round((decimal)participating / teamMembers.Count, 4);
            return new TeamCadence(team.Id, year, activities.Count, options.TeamActivitiesPerYear, teamMembers.Count, participating, rate,
                options.TeamParticipationRate, activities.Count >= options.TeamActivitiesPerYear, teamMembers.Count > 0 && rate >= options.TeamParticipationRate,
                team.Name, counted[team.Id]);
        }).ToList();
    }

    private static Dictionary<string, object?> Row(ActivitySummary a) => new()
    {
        ["month"] = a.StartsAt.ToOffset(ChinaTime.Offset).Month,
        ["startsAt"] = a.StartsAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        ["endsAt"] = a.EndsAt.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        ["title"] = a.Title,
        ["category"] = a.Category.ToString(),
        ["platform"] = a.Platform?.ToString(),
        ["place"] = a.Venue ?? a.Place,
        ["lecturer"] = a.Lecturer,
        ["audience"] = a.Audience,
        ["content"] = a.Content,
        ["festival"] = a.FestivalTag?.ToString(),
        ["status"] = a.Status.ToString(),
    };

    private static string ToCsv(IReadOnlyList<ActivitySummary> activities)
    {
        var rows = activities.Select(Row).ToList();
        var header = rows.FirstOrDefault()?.Keys ?? Row(new ActivitySummary(Guid.Empty, "", "", default, default, default, default, null, null, null, null, null, null, null, false, null, 0, false)).Keys;
        var text = new StringBuilder().AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Values.Select(v => Quote(Convert.ToString(v, CultureInfo.InvariantCulture)))).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
