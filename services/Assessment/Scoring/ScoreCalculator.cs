using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>
/// Scores live from the cells and facts with the scheme in force for the county and the period's year. A township's
/// station ranking reads its sites once and evaluates them all; a county's institute ranking reads every site of the
/// county once and pools them by township: either way a fixed number of queries.
/// </summary>
public sealed class ScoreCalculator(AssessmentDbContext db, IndicatorEvaluator evaluator, ISchemes schemes) : IScoreCalculator
{
    public async Task<IReadOnlyList<RankedScore>> RankAsync(AssessmentTier tier, Period period, string under, CancellationToken cancellationToken)
    {
        // Stations rank within their township, institutes within the county, whatever narrower prefix is shown; a
        // county's stations (publishing a period) are every township's ranking at once.
        var within = tier == AssessmentTier.Station && under.Length >= 9 ? under[..9]
            : under.Length >= 6 ? under[..6]
            : throw new DomainValidationException("under", "Rankings are within a county (6 digits) or a place under it.");
        var scheme = await schemes.ForYearAsync(within[..6], period.Year, cancellationToken);
        var sites = await SitesAsync(within, period, cancellationToken);
        var figures = await evaluator.LoadAsync([.. sites.Where(s => tier == AssessmentTier.Institute || IsStation(s))], period, cancellationToken);

        List<SubjectScore> scores;
        if (tier == AssessmentTier.Station)
        {
            scores = [.. figures.Select(f => Scorer.Score(tier, f.Site.StationCode, f.Site.Name, period, scheme, IndicatorEvaluator.Evaluate([f], period)))];
        }
        else
        {
            scores = [.. figures.Where(f => Township(f.Site) is not null).GroupBy(f => Township(f.Site)!, StringComparer.Ordinal)
                .Select(g => Scorer.Score(tier, g.Key, InstituteName(g.Key, g), period, scheme, IndicatorEvaluator.Evaluate([.. g], period)))];
        }
        var ranked = tier == AssessmentTier.Station
            ? scores.GroupBy(s => s.Subject[..9], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => Rank(g))
            : Rank(scores);
        return [.. ranked.Where(r => r.Score.Subject.StartsWith(under, StringComparison.Ordinal) || under.StartsWith(r.Score.Subject, StringComparison.Ordinal))];
    }

    public async Task<SubjectScore?> ScoreAsync(AssessmentTier tier, string subject, Period period, CancellationToken cancellationToken)
    {
        var scheme = await schemes.ForYearAsync(subject[..6], period.Year, cancellationToken);
        if (tier == AssessmentTier.Station)
        {
            var site = await db.StationFacts.AsNoTracking().FirstOrDefaultAsync(s => s.StationCode == subject, cancellationToken);
            if (site is null || !IsStation(site) || !site.ScoredIn(period))
            {
                return null;
            }
            var figures = await evaluator.LoadAsync([site], period, cancellationToken);
            return Scorer.Score(tier, subject, site.Name, period, scheme, IndicatorEvaluator.Evaluate(figures, period));
        }
        var sites = (await SitesAsync(subject, period, cancellationToken)).Where(s => Township(s) == subject).ToList();
        if (sites.Count == 0)
        {
            return null;
        }
        var all = await evaluator.LoadAsync(sites, period, cancellationToken);
        return Scorer.Score(tier, subject, InstituteName(subject, all), period, scheme, IndicatorEvaluator.Evaluate(all, period));
    }

    /// <summary>Ties share a rank (1, 2, 2, 4); equal totals are listed by code.</summary>
    public static IReadOnlyList<RankedScore> Rank(IEnumerable<SubjectScore> scores)
    {
        var ordered = scores.OrderByDescending(s => s.Total).ThenBy(s => s.Subject, StringComparer.Ordinal).ToList();
        var ranked = new List<RankedScore>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Total == ordered[i - 1].Total ? ranked[i - 1].Rank : i + 1;
            ranked.Add(new RankedScore(rank, ordered[i]));
        }
        return ranked;
    }

    /// <summary>Every site under <paramref name="prefix"/> scored in the period (registered before its end, not closed before its start), but the county centre.</summary>
    private async Task<List<StationFact>> SitesAsync(string prefix, Period period, CancellationToken cancellationToken)
    {
        var (start, end) = (period.Start, period.End);
        return await db.StationFacts.AsNoTracking()
            .Where(s => s.StationCode.StartsWith(prefix) && s.RegisteredAt < end && (s.ClosedAt == null || s.ClosedAt >= start) && s.Kind != StationKind.CountyCentre)
            .OrderBy(s => s.StationCode)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Scored at the station tier: village, community and unit stations, not the institute's or the centre's own site.</summary>
    private static bool IsStation(StationFact site) => site.Kind is not (StationKind.CountyCentre or StationKind.Institute);

    /// <summary>The township a site lies in, or null for a site placed at the county itself.</summary>
    private static string? Township(StationFact site) =>
        StationCode.TryParse(site.StationCode, out var code) && code.Place.Tier != DivisionTier.County ? code.Place.Township.Value : null;

    private static string? InstituteName(string township, IEnumerable<SiteFigures> sites) =>
        sites.FirstOrDefault(s => s.Site.Kind == StationKind.Institute && s.Site.StationCode == township)?.Site.Name;
}
