using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

/// <param name="MemberYears">Members counted for the part of the year they belonged (two half-years are one).</param>
/// <param name="Hours">Service time the members gave while they were members, in the year.</param>
/// <param name="AverageHours">Hours per member-year; null for a team nobody belonged to this year.</param>
/// <param name="ExpectedByNowHours">The target's pro-rata share of the year gone by.</param>
public sealed record TeamAverage(Guid TeamId, string Name, TeamTier Tier, string HomeStationCode, int Members, decimal MemberYears, decimal Hours,
    decimal? AverageHours, bool Met, decimal ExpectedByNowHours, bool Behind);

public sealed record TeamAveragesReport(int Year, string Under, decimal TargetHours, int Total, IReadOnlyList<TeamAverage> Teams);

/// <param name="TownshipCode">The township (9 digits); the county's code for the cadres of the county centre itself.</param>
/// <param name="CadreYears">Cadres counted from the day they were registered, within the year.</param>
public sealed record CadreCorpsAverage(string TownshipCode, int Cadres, decimal CadreYears, decimal Hours, decimal? AverageHours, bool Met,
    decimal ExpectedByNowHours, bool Behind);

public sealed record CadreAveragesReport(int Year, string Under, decimal TargetHours, IReadOnlyList<CadreCorpsAverage> Townships);

/// <summary>
/// Per-head yearly averages (人均, seed: 党政干部、志愿服务团队人均年服务时间不低于20小时): each team's, and each township's
/// cadre corps', against the configured <c>TeamMember</c> and <c>Cadre</c> obligations. The personal obligations
/// (/obligations) stay beside them as information; candidates' 25 h and league applicants' 10 h are personal.
/// </summary>
public static class PerHeadApi
{
    public const int MaxPageSize = 200;

    public static void MapPerHeadApi(this RouteGroupBuilder api)
    {
        api.MapGet("/obligations/teams", TeamsAsync).WithName("GetTeamAverages")
            .WithSummary("Each team's service hours per head for a year and whether it meets the target, members counted for the part of the year they belonged")
            .WithDescription("Example: ?year=2026&under=321324104&met=false&offset=0&limit=50. Teams whose home is under the prefix, within the caller's division; total counts every matching team.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/obligations/cadres", CadresAsync).WithName("GetCadreAverages")
            .WithSummary("Each township's cadre corps' service hours per head for a year and whether it meets the target")
            .WithDescription("Example: ?year=2026&under=321324. Approved and suspended volunteers of the Cadre category, each counted from the day they were registered.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
    }

    public static async Task<Ok<TeamAveragesReport>> TeamsAsync(int? year, string? under, bool? met, int? offset, int? limit, VolunteersDbContext db,
        Caller caller, ObligationPolicy policy, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        var skip = offset ?? 0;
        if (take is < 1 or > MaxPageSize)
        {
            throw new DomainValidationException("limit", $"limit is 1-{MaxPageSize}.");
        }
        if (skip < 0)
        {
            throw new DomainValidationException("offset", "offset is 0 or more.");
        }
        var now = time.GetUtcNow();
        var y = dates.EnsureYear("year", year ?? ChinaTime.Today(now).Year);
        var target = policy.PerHeadTargetHundredths(y, ObligationPolicy.TeamMember);
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new TeamAveragesReport(y, under ?? "", Hours(target), 0, []));
        }
        var (start, end) = ChinaTime.Year(y);
        var teams = await db.Teams.AsNoTracking().Where(t => ((string)t.DivisionCode).StartsWith(prefix))
            .OrderBy(t => t.DivisionCode).ThenBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Name, t.Tier, t.DivisionCode }).ToListAsync(cancellationToken);
        // A membership keeps its team's division code, so the prefix selects the memberships of these teams. Each
        // member's time is summed in the database over the part of the year they were a member (Membership.WhileMember,
        // written as SQL: served on or after joining, before leaving), through the ledger's (volunteer, day) index; memberships of one volunteer in one team never overlap (joining refuses
        // while one is open), so no time is counted twice.
        var memberships = await db.TeamMemberships.AsNoTracking()
            .Where(m => ((string)m.DivisionCode).StartsWith(prefix) && m.JoinedAt < end && (m.LeftAt == null || m.LeftAt > start))
            .Select(m => new
            {
                m.TeamId,
                m.VolunteerId,
                m.JoinedAt,
                m.LeftAt,
                Hundredths = db.HourLedger
                    .Where(e => e.VolunteerId == m.VolunteerId && e.ServedOn >= start && e.ServedOn < end
                        && e.ServedOn >= m.JoinedAt && (m.LeftAt == null || e.ServedOn < m.LeftAt))
                    .Sum(e => (int?)e.Hundredths) ?? 0,
            })
            .ToListAsync(cancellationToken);
        var byTeam = memberships.ToLookup(m => m.TeamId, m => new GroupTime(m.VolunteerId, m.JoinedAt, m.LeftAt, m.Hundredths));
        var rows = teams
            .Select(t => (Team: t, Year: PerHeadAverage.Evaluate(y, target, byTeam[t.Id], now)))
            .Where(r => met is not { } wanted || r.Year.Met == wanted)
            .ToList();
        var page = rows.Skip(skip).Take(take)
            .Select(r => new TeamAverage(r.Team.Id, r.Team.Name, r.Team.Tier, r.Team.DivisionCode.Value, r.Year.Heads, r.Year.HeadYears,
                Hours(r.Year.Hundredths), r.Year.AverageHundredths is { } a ? Hours(a) : null, r.Year.Met, Hours(r.Year.ExpectedByNowHundredths), r.Year.Behind))
            .ToList();
        return TypedResults.Ok(new TeamAveragesReport(y, prefix, Hours(target), rows.Count, page));
    }

    public static async Task<Ok<CadreAveragesReport>> CadresAsync(int? year, string? under, VolunteersDbContext db, Caller caller, ObligationPolicy policy,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var y = dates.EnsureYear("year", year ?? ChinaTime.Today(now).Year);
        var target = policy.PerHeadTargetHundredths(y, nameof(VolunteerCategory.Cadre));
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new CadreAveragesReport(y, under ?? "", Hours(target), []));
        }
        var (start, end) = ChinaTime.Year(y);
        var cadre = Volunteer.CategoryToken(VolunteerCategory.Cadre);
        // A suspended cadre is still one of the corps: leaving them out would flatter its average.
        var cadres = await db.Volunteers.AsNoTracking()
            .Where(v => (v.Status == VolunteerStatus.Approved || v.Status == VolunteerStatus.Suspended)
                && ((string)v.DivisionCode).StartsWith(prefix) && v.CategoryList.Contains(cadre) && v.RegisteredAt < end)
            .Select(v => new { v.Id, v.DivisionCode, v.RegisteredAt }).ToListAsync(cancellationToken);
        var ids = cadres.Select(c => c.Id).ToArray();
        var entries = (await db.HourLedger.AsNoTracking()
            .Where(e => e.ServedOn >= start && e.ServedOn < end && EF.Parameter(ids).Contains(e.VolunteerId))
            .Select(e => new { e.VolunteerId, e.ServedOn, e.Hundredths }).ToListAsync(cancellationToken))
            .ToLookup(e => e.VolunteerId);
        var townships = cadres
            .Select(c =>
            {
                // Counted from the China day they were registered: time credited for that day is theirs as a cadre.
                var spell = MembershipSpell.FromChinaDayOf(c.RegisteredAt);
                var served = entries[c.Id].Where(e => spell.Covers(e.ServedOn)).Sum(e => e.Hundredths);
                return (Corps: PerHeadAverage.CorpsOf(c.DivisionCode), Time: new GroupTime(c.Id, spell.From, spell.Until, served));
            })
            .GroupBy(c => c.Corps, c => c.Time)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var result = PerHeadAverage.Evaluate(y, target, g, now);
                return new CadreCorpsAverage(g.Key, result.Heads, result.HeadYears, Hours(result.Hundredths),
                    result.AverageHundredths is { } a ? Hours(a) : null, result.Met, Hours(result.ExpectedByNowHundredths), result.Behind);
            })
            .ToList();
        return TypedResults.Ok(new CadreAveragesReport(y, prefix, Hours(target), townships));
    }

    private static decimal Hours(int hundredths) => new ServiceTime(hundredths).Hours;
}
