using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Leaderboards;

/// <summary>A volunteer's place on a board: hours in the year, ties sharing a rank (1, 2, 2, 4).</summary>
public sealed record VolunteerPlace(int Rank, Guid VolunteerId, string? Name, string? HomeStationCode, decimal Hours);

/// <summary>A team's place on a board: activities held in the year, ties sharing a rank.</summary>
public sealed record TeamPlace(int Rank, Guid TeamId, string? Name, string? HomeStationCode, long Activities);

/// <summary>The handlers' common dependencies.</summary>
public sealed class LeaderboardServices(ILeaderboardStore store, AssessmentDbContext db, Caller caller, TimeProvider time)
{
    public ILeaderboardStore Store { get; } = store;
    public AssessmentDbContext Db { get; } = db;
    public Caller Caller { get; } = caller;
    public TimeProvider Time { get; } = time;
}

/// <summary>Live leaderboards (排行榜): volunteers by hours, teams by activities, per county, township or village and year.</summary>
public static class LeaderboardsApi
{
    public const int DefaultTop = 10;
    public const int MaxTop = 100;

    public static RouteGroupBuilder MapLeaderboardsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment/leaderboards").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead);
        api.MapGet("/volunteers", VolunteersAsync).WithName("AssessmentVolunteerLeaderboard")
            .WithSummary("Volunteers by service hours in a year (default: this year) under a county, township or village, top 10 (at most 100)");
        api.MapGet("/teams", TeamsAsync).WithName("AssessmentTeamLeaderboard")
            .WithSummary("Teams by activities held in a year (default: this year) under a county, township or village, top 10 (at most 100)");
        return api;
    }

    public static async Task<Ok<List<VolunteerPlace>>> VolunteersAsync(string? year, string? under, string? top,
        [AsParameters] LeaderboardServices services, CancellationToken cancellationToken)
    {
        var entries = await TopAsync(LeaderboardKind.Volunteers, year, under, top, services, cancellationToken);
        var ids = entries.Select(e => Guid.Parse(e.Entry.Subject)).ToList();
        var facts = await services.Db.VolunteerFacts.AsNoTracking().Where(v => ids.Contains(v.VolunteerId))
            .Select(v => new { v.VolunteerId, v.Name, v.HomeStationCode }).ToDictionaryAsync(v => v.VolunteerId, cancellationToken);
        return TypedResults.Ok(entries.Select(e =>
        {
            var id = Guid.Parse(e.Entry.Subject);
            var fact = facts.GetValueOrDefault(id);
            return new VolunteerPlace(e.Rank, id, fact?.Name, NullIfEmpty(fact?.HomeStationCode), new ServiceTime((int)e.Entry.Score).Hours);
        }).ToList());
    }

    public static async Task<Ok<List<TeamPlace>>> TeamsAsync(string? year, string? under, string? top,
        [AsParameters] LeaderboardServices services, CancellationToken cancellationToken)
    {
        var entries = await TopAsync(LeaderboardKind.Teams, year, under, top, services, cancellationToken);
        var ids = entries.Select(e => Guid.Parse(e.Entry.Subject)).ToList();
        var facts = await services.Db.TeamFacts.AsNoTracking().Where(t => ids.Contains(t.TeamId))
            .Select(t => new { t.TeamId, t.Name, t.HomeStationCode }).ToDictionaryAsync(t => t.TeamId, cancellationToken);
        return TypedResults.Ok(entries.Select(e =>
        {
            var id = Guid.Parse(e.Entry.Subject);
            var fact = facts.GetValueOrDefault(id);
            return new TeamPlace(e.Rank, id, fact?.Name, NullIfEmpty(fact?.HomeStationCode), e.Entry.Score);
        }).ToList());
    }

    private static async Task<List<(int Rank, BoardEntry Entry)>> TopAsync(LeaderboardKind kind, string? yearText, string? under,
        string? topText, LeaderboardServices services, CancellationToken cancellationToken)
    {
        var year = ParseYear(yearText, services.Time);
        var top = ParseTop(topText);
        if (services.Caller.ListPrefix(under) is not { } board)
        {
            return [];
        }
        if (!LeaderboardBoards.IsBoard(board))
        {
            throw new DomainValidationException("under", "A leaderboard is kept per county (6 digits), township (9) or village (12): name one of them.");
        }
        var entries = await services.Store.TopAsync(kind, year, board, top, cancellationToken);
        return Rank(entries);
    }

    /// <summary>Competition ranking over a board's top: a score equal to the one before shares its rank.</summary>
    public static List<(int Rank, BoardEntry Entry)> Rank(IReadOnlyList<BoardEntry> entries)
    {
        var ranked = new List<(int, BoardEntry)>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var rank = i > 0 && entries[i].Score == entries[i - 1].Score ? ranked[i - 1].Item1 : i + 1;
            ranked.Add((rank, entries[i]));
        }
        return ranked;
    }

    private static int ParseYear(string? text, TimeProvider time)
    {
        if (string.IsNullOrEmpty(text))
        {
            return ChinaTime.Today(time.GetUtcNow()).Year;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 9999
            ? year
            : throw new DomainValidationException("year", "A year is four digits, from 2000 on (2026).");
    }

    private static int ParseTop(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultTop;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top is >= 1 and <= MaxTop
            ? top
            : throw new DomainValidationException("top", $"top is a whole number from 1 to {MaxTop}.");
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
