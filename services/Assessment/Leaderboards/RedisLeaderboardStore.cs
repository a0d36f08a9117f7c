using System.Globalization;
using StackExchange.Redis;

namespace PracticeMesh.Assessment.Leaderboards;

/// <summary>
/// The boards in Redis, shared by every replica: a sorted set per kind, year and division,
/// <c>{prefix}assessment:lb:volunteers:2026:321324104</c>, member the subject's id, score its total; and beside them a
/// hash <c>…:2026:where</c> of each subject's boards, so a subject whose home station moved is taken off its old ones.
/// Only the projector writes (one replica at a time), so the two are written in one pipeline per batch, not a script.
/// </summary>
public sealed class RedisLeaderboardStore(IConnectionMultiplexer redis, string keyPrefix) : ILeaderboardStore
{
    private const int Chunk = 1000;

    public bool Durable => true;

    private string YearKey(LeaderboardKind kind, int year) =>
        $"{keyPrefix}assessment:lb:{kind.ToString().ToLowerInvariant()}:{year.ToString(CultureInfo.InvariantCulture)}:";

    private RedisKey BoardKey(LeaderboardKind kind, int year, string division) => YearKey(kind, year) + division;

    private RedisKey WhereKey(LeaderboardKind kind, int year) => YearKey(kind, year) + "where";

    public async Task SetAsync(LeaderboardKind kind, int year, IReadOnlyCollection<LeaderboardStanding> standings, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var where = WhereKey(kind, year);
        foreach (var chunk in standings.Chunk(Chunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var previous = await db.HashGetAsync(where, [.. chunk.Select(s => (RedisValue)s.Subject)]);
            var writes = new List<Task>();
            var batch = db.CreateBatch();
            for (var i = 0; i < chunk.Length; i++)
            {
                var standing = chunk[i];
                var onBoard = standing.Score != 0 && standing.Boards.Count != 0;
                var boards = onBoard ? standing.Boards : [];
                var old = previous[i].IsNullOrEmpty ? [] : previous[i].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                foreach (var board in old.Except(boards, StringComparer.Ordinal))
                {
                    writes.Add(batch.SortedSetRemoveAsync(BoardKey(kind, year, board), standing.Subject));
                }
                foreach (var board in boards)
                {
                    writes.Add(batch.SortedSetAddAsync(BoardKey(kind, year, board), standing.Subject, standing.Score));
                }
                writes.Add(onBoard
                    ? batch.HashSetAsync(where, standing.Subject, string.Join(',', boards))
                    : batch.HashDeleteAsync(where, standing.Subject));
            }
            batch.Execute();
            await Task.WhenAll(writes);
        }
    }

    public async Task<IReadOnlyCollection<string>> SubjectsAsync(LeaderboardKind kind, int year, CancellationToken cancellationToken)
    {
        var subjects = await redis.GetDatabase().HashKeysAsync(WhereKey(kind, year));
        return [.. subjects.Select(s => s.ToString())];
    }

    public async Task<IReadOnlyList<BoardEntry>> TopAsync(LeaderboardKind kind, int year, string division, int count, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(BoardKey(kind, year, division), 0, count - 1, Order.Descending);
        return [.. entries.Select(e => new BoardEntry(e.Element.ToString(), (long)e.Score))];
    }
}
