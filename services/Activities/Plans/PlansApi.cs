using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Plans;

public sealed record PlanMonth(int Month, IReadOnlyList<ActivitySummary> Activities);

public sealed record YearlyPlan(string StationCode, int Year, IReadOnlyList<PlanMonth> Months);

public sealed record StationCadence(string StationCode, string Month, int HeldActivities, int Required, bool Met);

public sealed record TeamCadence(Guid TeamId, int Year, int HeldActivities, int RequiredActivities, int Members, int Participants,
    decimal ParticipationRate, decimal RequiredRate, bool ActivitiesMet, bool ParticipationMet);

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
            .WithSummary("Concentrated activities held in a month against Activities:StationActivitiesPerMonth")
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
        var (from, to) = ChinaTime.Month(first);
        var held = await db.Activities.CountAsync(a => a.StationCode == stationCode && a.Status == ActivityStatus.Completed && a.StartsAt >= from && a.StartsAt < to, cancellationToken);
        return new StationCadence(stationCode, month, held, options.StationActivitiesPerMonth, held >= options.StationActivitiesPerMonth);
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
        var (from, to) = ChinaTime.Year(year);
        var held = db.Activities.Where(a => a.TeamId == teamId && a.Status == ActivityStatus.Completed && a.StartsAt >= from && a.StartsAt < to);
        var heldCount = await held.CountAsync(cancellationToken);
        var members = await db.TeamMembers.Where(m => m.TeamId == teamId && m.IsMember).Select(m => m.VolunteerId).ToListAsync(cancellationToken);
        // Participation: members credited in at least one of the team's activities this year.
        var participants = await db.SignUps.Where(s => s.CreditedHours != null && held.Any(a => a.Id == s.ActivityId))
            .Select(s => s.VolunteerId).Distinct().ToListAsync(cancellationToken);
        var participating = participants.Intersect(members).Count();
        var rate = members.Count == 0 ? 0m : Math.Round((decimal)participating / members.Count, 4);
        return new TeamCadence(teamId, year, heldCount, options.TeamActivitiesPerYear, members.Count, participating, rate, options.TeamParticipationRate,
            heldCount >= options.TeamActivitiesPerYear, members.Count > 0 && rate >= options.TeamParticipationRate);
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
