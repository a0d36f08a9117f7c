using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Leaderboards;

/// <summary>Settings of the leaderboards (section <c>Assessment:Leaderboards</c>).</summary>
public sealed class LeaderboardOptions
{
    public const string Section = "Assessment:Leaderboards";

    /// <summary>How often the projector looks for marks when nobody signals it.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Marks handled in one pass (one transaction on PostgreSQL).</summary>
    public int BatchSize { get; set; } = 1000;
}

/// <summary>
/// Brings the leaderboards up to date with the cells. The consumers write a <see cref="LeaderboardMark"/> in the same
/// transaction as a volunteer's hours or a team's activities change; the projector reads a batch of marks, recomputes
/// each marked subject's year total from the cells (never adds deltas, so a mark applied twice or a crash between the
/// store and the delete does no harm), puts it on its county, township and village boards, and deletes the marks it
/// handled. Marks stay until their totals are written, so a Redis or database outage only delays the boards.
/// Replicas take turns: on PostgreSQL a pass holds a transaction-scoped advisory lock, so two passes never write one
/// subject's total out of order; a replica that finds it held skips its turn.
/// </summary>
public sealed class LeaderboardProjector(
    IServiceScopeFactory scopes, ILeaderboardStore store, IOptions<LeaderboardOptions> options, ILogger<LeaderboardProjector> logger) : BackgroundService
{
    /// <summary>The advisory lock's key: fixed, the same in every replica and version ("LBPROJ").</summary>
    private const long LockKey = 0x4C_42_50_52_4F_4A;

    /// <summary>A mark's subject meaning every volunteer (team) with cells in the year: a full refresh, after a rebuild.</summary>
    public const string Everyone = "*";

    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks for a pass now rather than at the next interval (after a rebuild wrote its marks, say).</summary>
    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pass handles every mark there is.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Boards held in this process start empty: fill them from the cells once, then follow the marks.
        var filled = store.Durable;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!filled)
                {
                    await RefreshEverythingAsync(stoppingToken);
                    filled = true;
                }
                while (await ProjectBatchAsync(stoppingToken) >= options.Value.BatchSize)
                {
                    // A full batch: more are waiting.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis or the database is unreachable: the marks stay and the next pass tries again.
                logger.LogWarning(ex, "The leaderboards could not be brought up to date; trying again in {Interval}.", options.Value.Interval);
            }
            try
            {
                await _signal.WaitAsync(options.Value.Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: a batch of marks applied and deleted. Returns how many marks it handled.</summary>
    public async Task<int> ProjectBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        if (!await db.LeaderboardMarks.AnyAsync(cancellationToken))
        {
            return 0;
        }
        // SQLite is one process's file with one projector: no turn to take.
        await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null && !await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            return 0;
        }
        var marks = await db.LeaderboardMarks.AsNoTracking().OrderBy(m => m.Id).Take(options.Value.BatchSize).ToListAsync(cancellationToken);
        foreach (var group in marks.GroupBy(m => m.Kind))
        {
            if (KindOf(group.Key) is { } kind)
            {
                await ProjectAsync(db, kind, [.. group], cancellationToken);
            }
        }
        // By id, not "up to the last id": a mark with a lower id may commit after this pass read the batch.
        var handled = marks.Select(m => m.Id).ToList();
        await db.LeaderboardMarks.Where(m => handled.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return marks.Count;
    }

    /// <summary>Every board of every year, from the cells (a store that forgets them on restart).</summary>
    public async Task RefreshEverythingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        foreach (var kind in Enum.GetValues<LeaderboardKind>())
        {
            await ProjectAsync(db, kind, [LeaderboardMark.For(SubjectKindOf(kind), Everyone, 0)], cancellationToken);
        }
    }

    private async Task ProjectAsync(AssessmentDbContext db, LeaderboardKind kind, IReadOnlyList<LeaderboardMark> marks, CancellationToken cancellationToken)
    {
        var subjectKind = SubjectKindOf(kind);
        var measure = MeasureOf(kind);
        var cells = db.MeasureCells.AsNoTracking().Where(c => c.Kind == subjectKind && c.Measure == measure);

        var fullYears = marks.Where(m => m.Subject == Everyone).Select(m => m.Year).ToHashSet();
        if (fullYears.Remove(0))
        {
            var years = await cells.Select(c => c.Month.Substring(0, 4)).Distinct().ToListAsync(cancellationToken);
            fullYears.UnionWith(years.Select(YearOf));
        }
        foreach (var year in fullYears.Order())
        {
            var prefix = year.ToString("0000-", CultureInfo.InvariantCulture);
            var totals = (await cells.Where(c => c.Month.StartsWith(prefix)).GroupBy(c => c.Subject)
                    .Select(g => new { Subject = g.Key, Total = g.Sum(c => c.Value) }).ToListAsync(cancellationToken))
                .ToDictionary(t => t.Subject, t => t.Total, StringComparer.Ordinal);
            // Subjects on a board whose figures are gone (a rebuild found none) come off it.
            var subjects = totals.Keys.Union(await store.SubjectsAsync(kind, year, cancellationToken), StringComparer.Ordinal).ToList();
            var boards = await BoardsAsync(db, kind, subjects, cancellationToken);
            await store.SetAsync(kind, year,
                [.. subjects.Select(s => new LeaderboardStanding(s, totals.GetValueOrDefault(s), boards.GetValueOrDefault(s, [])))], cancellationToken);
        }

        var single = marks.Where(m => m.Subject != Everyone).ToList();
        if (single.Count == 0)
        {
            return;
        }
        var marked = single.Select(m => m.Subject).Distinct(StringComparer.Ordinal).ToList();
        var rows = await cells.Where(c => marked.Contains(c.Subject)).Select(c => new { c.Subject, c.Month, c.Value }).ToListAsync(cancellationToken);
        var yearTotals = rows.GroupBy(c => (c.Subject, Year: YearOf(c.Month))).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        var wanted = new HashSet<(string Subject, int Year)>();
        foreach (var mark in single)
        {
            if (mark.Year == 0)
            {
                wanted.UnionWith(yearTotals.Keys.Where(k => k.Subject == mark.Subject));
            }
            else
            {
                wanted.Add((mark.Subject, mark.Year));
            }
        }
        var subjectBoards = await BoardsAsync(db, kind, marked, cancellationToken);
        foreach (var year in wanted.GroupBy(w => w.Year))
        {
            await store.SetAsync(kind, year.Key,
                [.. year.Select(w => new LeaderboardStanding(w.Subject, yearTotals.GetValueOrDefault(w), subjectBoards.GetValueOrDefault(w.Subject, [])))],
                cancellationToken);
        }
    }

    /// <summary>The boards of each subject, from its home station (or its own division) in the facts.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<string>>> BoardsAsync(
        AssessmentDbContext db, LeaderboardKind kind, IReadOnlyList<string> subjects, CancellationToken cancellationToken)
    {
        var boards = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var ids = subjects.Select(s => Guid.TryParse(s, out var id) ? id : (Guid?)null).OfType<Guid>().ToList();
        foreach (var chunk in ids.Chunk(1000))
        {
            var homes = kind == LeaderboardKind.Volunteers
                ? await db.VolunteerFacts.AsNoTracking().Where(v => chunk.Contains(v.VolunteerId))
                    .Select(v => new { Id = v.VolunteerId, v.HomeStationCode, v.DivisionCode }).ToListAsync(cancellationToken)
                : await db.TeamFacts.AsNoTracking().Where(t => chunk.Contains(t.TeamId))
                    .Select(t => new { Id = t.TeamId, t.HomeStationCode, t.DivisionCode }).ToListAsync(cancellationToken);
            foreach (var home in homes)
            {
                boards[home.Id.ToString()] = LeaderboardBoards.For(home.HomeStationCode, home.DivisionCode.ToString());
            }
        }
        return boards;
    }

    private static int YearOf(string month) => int.Parse(month.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);

    private static LeaderboardKind? KindOf(SubjectKind kind) => kind switch
    {
        SubjectKind.Volunteer => LeaderboardKind.Volunteers,
        SubjectKind.Team => LeaderboardKind.Teams,
        _ => null,
    };

    public static SubjectKind SubjectKindOf(LeaderboardKind kind) => kind == LeaderboardKind.Volunteers ? SubjectKind.Volunteer : SubjectKind.Team;

    public static string MeasureOf(LeaderboardKind kind) => kind == LeaderboardKind.Volunteers ? M.VolunteerHours : M.TeamActivities;
}
