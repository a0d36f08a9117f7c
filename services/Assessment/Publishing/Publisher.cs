using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Assessment.Publishing;

/// <summary>
/// Publishes (公布) a county's period: freezes every station's and institute's score as the calculator gives it now,
/// with its explanation and the scheme version, and announces it with <see cref="AssessmentPublished"/> in the same
/// transaction. A published period is never written again: a later change of facts shows as a difference.
/// </summary>
public sealed class Publisher(AssessmentDbContext db, ISchemes schemes, TimeProvider time)
{
    public async Task<PublishedPeriod> PublishAsync(IScoreCalculator scores, string county, Period period, string? by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = period.ToString();
        // Results are published once the period is over: a month still running would freeze half its facts.
        if (period.End > now)
        {
            throw new ConflictException($"Period {key} is not over yet: it can be published from {period.End:yyyy-MM-dd HH:mm zzz} on.");
        }
        await EnsureNotPublishedAsync(county, key, cancellationToken);

        var stations = Ranked(await scores.RankAsync(AssessmentTier.Station, period, county, cancellationToken), s => TownshipOf(s.Subject));
        var institutes = Ranked(await scores.RankAsync(AssessmentTier.Institute, period, county, cancellationToken), _ => county);
        var scheme = stations.Concat(institutes).Select(r => r.Score.Scheme).FirstOrDefault()
            ?? (await schemes.ForYearAsync(county, period.Year, cancellationToken)).Ref;

        var published = PublishedPeriod.From(county, key, scheme, now, by, stations.Count, institutes.Count);
        db.PublishedPeriods.Add(published);
        foreach (var (within, rank, score) in stations.Concat(institutes))
        {
            db.PublishedResults.Add(PublishedResult.From(county, key, within, rank, score, JsonSerializer.Serialize(score, DefaultScheme.Json)));
        }
        db.AddEvent(new AssessmentPublished(Guid.CreateVersion7(now), now, DivisionCode.Parse(county), key, scheme.Year, scheme.Version,
            stations.Count, institutes.Count, by), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another publish of the same period committed first: one set of results, never two.
            throw AlreadyPublished(county, key);
        }
        return published;
    }

    /// <summary>Any write to a published period is refused (409); an unpublished one has nothing to change (404).</summary>
    public async Task RefuseChangeAsync(string county, Period period, CancellationToken cancellationToken)
    {
        await EnsureNotPublishedAsync(county, period.ToString(), cancellationToken);
        throw new NotFoundException($"Period {period} of county {county} has not been published.");
    }

    private async Task EnsureNotPublishedAsync(string county, string key, CancellationToken cancellationToken)
    {
        if (await db.PublishedPeriods.AnyAsync(p => p.County == county && p.Period == key, cancellationToken))
        {
            throw AlreadyPublished(county, key);
        }
    }

    private static ConflictException AlreadyPublished(string county, string key) =>
        new($"Period {key} of county {county} is published: its results are frozen and cannot be published again or changed.");

    private static string TownshipOf(string station) => station[..Math.Min(9, station.Length)];

    /// <summary>
    /// Ranks within each group by total, ties sharing a rank (1, 2, 2, 4): stations by township, whatever grouping
    /// the calculator ranked a whole county's list in, so the frozen ranks are the ones each township sees.
    /// </summary>
    internal static List<(string Within, int Rank, SubjectScore Score)> Ranked(IEnumerable<RankedScore> ranked, Func<SubjectScore, string> group) =>
        [.. ranked.Select(r => r.Score).GroupBy(group).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g =>
        {
            var ordered = g.OrderByDescending(s => s.Total).ThenBy(s => s.Subject, StringComparer.Ordinal).ToList();
            return ordered.Select((s, i) => (g.Key, ordered.FindIndex(o => o.Total == s.Total) + 1, s));
        })];
}
