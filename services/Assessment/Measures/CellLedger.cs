using PracticeMesh.Assessment.Data;

namespace PracticeMesh.Assessment.Measures;

/// <summary>
/// Keeps the cells in step with the facts, incrementally: a fact's contributions before a change are taken away and
/// its contributions after it added, through the change tracker, so the consumer's one save (with its inbox row) writes
/// the fact and its cells together or neither. Since a fact's contributions depend on the fact alone, the cells after
/// any order of changes equal the sum over the final facts, which is what <see cref="CellRebuilder"/> computes.
/// </summary>
public sealed class CellLedger(AssessmentDbContext db)
{
    private readonly HashSet<(SubjectKind, string, int)> _marked = [];

    /// <summary>Counts a fact that is new (just added to the context).</summary>
    public Task AddAsync(IContributingFact fact, CancellationToken cancellationToken) =>
        ApplyAsync([], fact.Contributions(), cancellationToken);

    /// <summary>Changes a fact (new or already counted) and moves the cells by the difference.</summary>
    public async Task ChangeAsync<TFact>(TFact fact, Action<TFact> change, CancellationToken cancellationToken) where TFact : IContributingFact
    {
        CellContribution[] before = [.. fact.Contributions()];
        change(fact);
        await ApplyAsync(before, fact.Contributions(), cancellationToken);
    }

    private Task ApplyAsync(IEnumerable<CellContribution> before, IEnumerable<CellContribution> after, CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<CellKey, long>();
        foreach (var (key, value) in before)
        {
            deltas[key] = deltas.GetValueOrDefault(key) - value;
        }
        foreach (var (key, value) in after)
        {
            deltas[key] = deltas.GetValueOrDefault(key) + value;
        }
        foreach (var (key, delta) in deltas)
        {
            if (delta == 0)
            {
                continue;
            }
            // Held on the context and written by its save, all the consumer's cells read in one query (not one each).
            db.AddCellDelta(key, delta);
            if (key.Measure is Measures.VolunteerHours or Measures.TeamActivities)
            {
                Mark(key.Kind, key.Subject, int.Parse(key.Month.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Marks a volunteer's or team's standing in a year (0: every year) for the leaderboards, once per consumer.</summary>
    public void Mark(SubjectKind kind, string subject, int year)
    {
        if (_marked.Add((kind, subject, year)))
        {
            db.LeaderboardMarks.Add(LeaderboardMark.For(kind, subject, year));
        }
    }
}
