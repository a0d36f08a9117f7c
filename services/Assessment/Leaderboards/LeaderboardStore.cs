using PracticeMesh.Contracts;

namespace PracticeMesh.Assessment.Leaderboards;

/// <summary>The two live leaderboards (排行榜): volunteers by service hours, teams by activities held.</summary>
public enum LeaderboardKind
{
    /// <summary>Volunteers by the hundredths of an hour on their ledgers in the year (cells volunteer.hours).</summary>
    Volunteers,
    /// <summary>Teams by the activities they held in the year (cells team.activities).</summary>
    Teams,
}

/// <summary>A subject's year total and the boards it belongs on (its county, township and village codes).</summary>
public sealed record LeaderboardStanding(string Subject, long Score, IReadOnlyList<string> Boards);

/// <summary>A place on a board as the store keeps it: the subject and its score.</summary>
public sealed record BoardEntry(string Subject, long Score);

/// <summary>
/// The boards of one kind and year, one per division (county 6 digits, township 9, village 12): a sorted set each
/// in Redis (<see cref="RedisLeaderboardStore"/>) or the process's own (<see cref="MemoryLeaderboardStore"/>), with
/// the same answers. Writes are absolute totals, so writing a standing twice changes nothing.
/// </summary>
public interface ILeaderboardStore
{
    /// <summary>
    /// False when the boards live only as long as the process (the standalone host): the projector then fills them
    /// from the cells once at start.
    /// </summary>
    bool Durable { get; }

    /// <summary>
    /// Puts each subject on its boards with its total, and off the boards it no longer belongs to (its home station
    /// moved); a total of zero or no boards takes it off every board of the year.
    /// </summary>
    Task SetAsync(LeaderboardKind kind, int year, IReadOnlyCollection<LeaderboardStanding> standings, CancellationToken cancellationToken);

    /// <summary>Every subject on some board of the year (a full refresh takes off those whose figures are gone).</summary>
    Task<IReadOnlyCollection<string>> SubjectsAsync(LeaderboardKind kind, int year, CancellationToken cancellationToken);

    /// <summary>
    /// The first <paramref name="count"/> of a board by score, highest first; equal scores in descending order of the
    /// subject (as Redis orders a reversed range), so both stores cut a tie at the same place.
    /// </summary>
    Task<IReadOnlyList<BoardEntry>> TopAsync(LeaderboardKind kind, int year, string division, int count, CancellationToken cancellationToken);
}

/// <summary>Which boards a subject belongs on.</summary>
public static class LeaderboardBoards
{
    /// <summary>The division lengths a board is kept for: county, township, village.</summary>
    public static readonly IReadOnlyList<int> Lengths = [6, 9, 12];

    /// <summary>
    /// The boards of a home station (a unit station such as 321324104201-S01 counts in its village), or of the
    /// subject's own division when its home station is unknown; none when neither is a division code.
    /// </summary>
    public static IReadOnlyList<string> For(string? homeStationCode, string? division)
    {
        var place = StationCode.TryParse(homeStationCode, out var station) ? station.Place.Value
            : DivisionCode.TryParse(division, out var code) ? code.Value
            : null;
        return place is null ? [] : [.. Lengths.Where(length => length <= place.Length).Select(length => place[..length])];
    }

    public static bool IsBoard(string division) => Lengths.Contains(division.Length);
}
