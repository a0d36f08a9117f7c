using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

/// <summary>How the report groups volunteers; by <see cref="Category"/> each counts once, under the key that sets their requirement (None: nothing required).</summary>
public enum ObligationGrouping { Volunteer, Station, Township, Team, Category }

/// <summary>One volunteer's year: required, done, short, and what should be done by now (pro rata).</summary>
public sealed record VolunteerObligation(Guid VolunteerId, string Name, string HomeStationCode, int Year, decimal RequiredHours, decimal DoneHours,
    decimal ShortHours, decimal ExpectedByNowHours, bool Behind);

/// <summary>A group's year: sums of its members' required and done hours; short is the sum of each member's shortfall.</summary>
public sealed record ObligationGroup(string Key, string? Name, int Volunteers, int WithObligation, int Met, int Behind,
    decimal RequiredHours, decimal DoneHours, decimal ShortHours);

public sealed record ObligationReport(int Year, ObligationGrouping GroupBy, string Under, IReadOnlyList<ObligationGroup> Groups);

/// <summary>
/// Personal yearly obligations (seed: cadres and team members ≥ 20 h, party/promotion candidates ≥ 25 h, league
/// applicants ≥ 10 h). For teams and cadres the rule is a group's per-head average (<see cref="PerHeadApi"/>); this
/// view stays as information for each person.
/// </summary>
public static class ObligationsApi
{
    public static void MapObligationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}/obligations", VolunteerAsync).WithName("GetVolunteerObligation")
            .WithSummary("A volunteer's required, done and short hours for a year (default: this year)")
            .WithDescription("An admin reads the volunteers their division covers; a volunteer reads their own (also at /me/obligations).")
            .RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        api.MapGet("/obligations", ReportAsync).WithName("GetObligationReport")
            .WithSummary("Required, done and short hours per volunteer, team, station or township under a prefix")
            .WithDescription("Example: ?year=2026&under=321324104&groupBy=Station. Approved volunteers only. groupBy=Category counts each volunteer once, under the category (or TeamMember) that sets their requirement.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/obligations/behind", BehindAsync).WithName("GetVolunteersBehind")
            .WithSummary("Volunteers behind their obligation as the year goes on: done below the pro-rata share of required")
            .WithDescription("Example: ?year=2026&under=321324104. For a past year, everyone short.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/obligations/policy", PolicyAsync).WithName("GetObligationPolicy")
            .WithSummary("Required hours per category for a year").RequireAuthorization(ApiScopes.VolunteersRead);
    }

    public static Ok<IReadOnlyDictionary<string, decimal>> PolicyAsync(int? year, ObligationPolicy policy, AcceptedDates dates, TimeProvider time) =>
        TypedResults.Ok(policy.For(YearOrThisYear(year, dates, time.GetUtcNow())));

    public static async Task<Ok<VolunteerObligation>> VolunteerAsync(Guid id, int? year, VolunteersDbContext db, Caller caller, ObligationPolicy policy,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var y = YearOrThisYear(year, dates, now);
        var (volunteer, _) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        var (start, end) = ChinaTime.Year(y);
        var done = await db.HourLedger.Where(e => e.VolunteerId == id && e.ServedOn >= start && e.ServedOn < end).SumAsync(e => e.Hundredths, cancellationToken);
        var member = await db.TeamMemberships.AnyAsync(m => m.VolunteerId == id && m.LeftAt == null, cancellationToken);
        var row = new Row(volunteer.Id, volunteer.Name, volunteer.DivisionCode.Value, volunteer.CategoryList);
        return TypedResults.Ok(Evaluate(row, y, done, member, policy, ObligationPolicy.ElapsedShare(y, now)));
    }

    public static async Task<Ok<ObligationReport>> ReportAsync(int? year, string? under, ObligationGrouping? groupBy, VolunteersDbContext db,
        Caller caller, ObligationPolicy policy, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var y = YearOrThisYear(year, dates, now);
        var grouping = groupBy ?? ObligationGrouping.Station;
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new ObligationReport(y, grouping, under ?? "", []));
        }
        var (obligations, memberships, categories) = await EvaluateAllAsync(prefix, y, now, db, policy, cancellationToken);
        IEnumerable<(string Key, VolunteerObligation Item)> keyed = grouping switch
        {
            ObligationGrouping.Volunteer => obligations.Select(o => (o.VolunteerId.ToString(), o)),
            ObligationGrouping.Station => obligations.Select(o => (o.HomeStationCode, o)),
            ObligationGrouping.Township => obligations.Select(o => (o.HomeStationCode[..Math.Min(9, o.HomeStationCode.Length)], o)),
            ObligationGrouping.Category => obligations.Select(o =>
                (policy.BindingKey(y, Categories(categories[o.VolunteerId]), memberships.Contains(o.VolunteerId)) ?? "None", o)),
            _ => obligations.SelectMany(o => memberships[o.VolunteerId].Select(team => (team.ToString(), o))),
        };
        var teamNames = grouping == ObligationGrouping.Team
            ? await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id.ToString(), t => t.Name, cancellationToken)
            : [];
        var groups = keyed.GroupBy(k => k.Key, k => k.Item)
            .Select(g => new ObligationGroup(g.Key,
                grouping switch
                {
                    ObligationGrouping.Volunteer => g.First().Name,
                    ObligationGrouping.Team => teamNames.GetValueOrDefault(g.Key),
                    _ => null,
                },
                g.Count(), g.Count(o => o.RequiredHours > 0), g.Count(o => o.RequiredHours > 0 && o.ShortHours == 0), g.Count(o => o.Behind),
                g.Sum(o => o.RequiredHours), g.Sum(o => o.DoneHours), g.Sum(o => o.ShortHours)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ObligationReport(y, grouping, prefix, groups));
    }

    public static async Task<Ok<List<VolunteerObligation>>> BehindAsync(int? year, string? under, VolunteersDbContext db, Caller caller,
        ObligationPolicy policy, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var y = YearOrThisYear(year, dates, now);
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<VolunteerObligation>());
        }
        var (obligations, _, _) = await EvaluateAllAsync(prefix, y, now, db, policy, cancellationToken);
        return TypedResults.Ok(obligations.Where(o => o.Behind)
            .OrderByDescending(o => o.ExpectedByNowHours - o.DoneHours).ThenBy(o => o.HomeStationCode).ThenBy(o => o.Name).ToList());
    }

    /// <summary>The year asked for (default: this year in China), within the accepted window.</summary>
    private static int YearOrThisYear(int? year, AcceptedDates dates, DateTimeOffset now) => dates.EnsureYear("year", year ?? ChinaTime.Today(now).Year);

    private sealed record Row(Guid Id, string Name, string DivisionCode, string CategoryList);

    /// <summary>
    /// Three set-based queries (volunteers, active team memberships, time per volunteer in the year, summed as
    /// integers) and the rules in memory: no per-volunteer round trips. The last two take the volunteers' ids as one
    /// array parameter, so PostgreSQL reads a township's ledger through the (volunteer, day) index instead of scanning
    /// the whole county's ledger in a hash join (benchmark: docs/performance.md, Volunteers).
    /// </summary>
    private static async Task<(List<VolunteerObligation>, ILookup<Guid, Guid>, Dictionary<Guid, string>)> EvaluateAllAsync(string prefix, int year, DateTimeOffset now,
        VolunteersDbContext db, ObligationPolicy policy, CancellationToken cancellationToken)
    {
        var (start, end) = ChinaTime.Year(year);
        var rows = await db.Volunteers.AsNoTracking()
            .Where(v => v.Status == VolunteerStatus.Approved && ((string)v.DivisionCode).StartsWith(prefix))
            .Select(v => new { v.Id, v.Name, v.DivisionCode, v.CategoryList }).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToArray();
        var memberships = (await db.TeamMemberships.AsNoTracking()
            .Where(m => m.LeftAt == null && EF.Parameter(ids).Contains(m.VolunteerId))
            .Select(m => new { m.VolunteerId, m.TeamId }).ToListAsync(cancellationToken))
            .ToLookup(m => m.VolunteerId, m => m.TeamId);
        var done = await db.HourLedger.AsNoTracking()
            .Where(e => e.ServedOn >= start && e.ServedOn < end && EF.Parameter(ids).Contains(e.VolunteerId))
            .GroupBy(e => e.VolunteerId)
            .Select(g => new { VolunteerId = g.Key, Hundredths = g.Sum(e => e.Hundredths) })
            .ToDictionaryAsync(t => t.VolunteerId, t => t.Hundredths, cancellationToken);
        var share = ObligationPolicy.ElapsedShare(year, now);
        var obligations = rows.Select(r => Evaluate(new Row(r.Id, r.Name, r.DivisionCode.Value, r.CategoryList), year,
            done.GetValueOrDefault(r.Id), memberships.Contains(r.Id), policy, share)).ToList();
        return (obligations, memberships, rows.ToDictionary(r => r.Id, r => r.CategoryList));
    }

    private static VolunteerObligation Evaluate(Row row, int year, int doneHundredths, bool isTeamMember, ObligationPolicy policy, decimal share)
    {
        var required = policy.RequiredHundredths(year, Categories(row.CategoryList), isTeamMember);
        var expected = (int)Math.Ceiling(required * share);
        return new VolunteerObligation(row.Id, row.Name, row.DivisionCode, year, Hours(required), Hours(doneHundredths),
            Hours(Math.Max(0, required - doneHundredths)), Hours(expected), required > 0 && doneHundredths < expected);
    }

    private static IEnumerable<VolunteerCategory> Categories(string categoryList) =>
        categoryList.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<VolunteerCategory>);

    private static decimal Hours(int hundredths) => new ServiceTime(hundredths).Hours;
}
