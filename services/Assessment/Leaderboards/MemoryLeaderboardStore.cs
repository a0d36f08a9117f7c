namespace PracticeMesh.Assessment.Leaderboards;

/// <summary>
/// The boards in this process, for a host without Redis (the standalone host, one process): the same answers as the
/// Redis store, kept in sorted sets ordered as Redis orders a reversed range (score, then subject, both descending).
/// </summary>
public sealed class MemoryLeaderboardStore : ILeaderboardStore
{
    private static readonly Comparer<BoardEntry> HighestFirst = Comparer<BoardEntry>.Create((a, b) =>
        b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(b.Subject, a.Subject));

    private sealed class YearBoards
    {
        public Dictionary<string, (long Score, IReadOnlyList<string> Boards)> Standings { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SortedSet<BoardEntry>> Boards { get; } = new(StringComparer.Ordinal);
    }

    private readonly Dictionary<(LeaderboardKind, int), YearBoards> _years = [];
    private readonly Lock _gate = new();

    public bool Durable => false;

    public Task SetAsync(LeaderboardKind kind, int year, IReadOnlyCollection<LeaderboardStanding> standings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_years.TryGetValue((kind, year), out var boards))
            {
                _years[(kind, year)] = boards = new YearBoards();
            }
            foreach (var standing in standings)
            {
                if (boards.Standings.Remove(standing.Subject, out var old))
                {
                    foreach (var board in old.Boards)
                    {
                        boards.Boards[board].Remove(new BoardEntry(standing.Subject, old.Score));
                    }
                }
                if (standing.Score == 0 || standing.Boards.Count == 0)
                {
                    continue;
                }
                boards.Standings[standing.Subject] = (standing.Score, standing.Boards);
                foreach (var board in standing.Boards)
                {
                    if (!boards.Boards.TryGetValue(board, out var set))
                    {
                        boards.Boards[board] = set = new SortedSet<BoardEntry>(HighestFirst);
                    }
                    set.Add(new BoardEntry(standing.Subject, standing.Score));
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyCollection<string>> SubjectsAsync(LeaderboardKind kind, int year, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyCollection<string> subjects = _years.TryGetValue((kind, year), out var boards) ? [.. boards.Standings.Keys] : [];
            return Task.FromResult(subjects);
        }
    }

    public Task<IReadOnlyList<BoardEntry>> TopAsync(LeaderboardKind kind, int year, string division, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<BoardEntry> top = _years.TryGetValue((kind, year), out var boards) && boards.Boards.TryGetValue(division, out var set)
                ? [.. set.Take(count)]
                : [];
            return Task.FromResult(top);
        }
    }
}
