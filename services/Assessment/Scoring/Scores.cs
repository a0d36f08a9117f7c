using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>One fact behind a value, as a station head reads it: "2026-03 集中实践活动 3", with the measure it came from.</summary>
public sealed record FactLine(string Label, decimal Value, string? Month = null, string? Source = null);

/// <summary>
/// One indicator of a subject's score, explained: its value and target in the indicator's unit, the points earned of the
/// weight, the rule that turned the one into the other (in words), and the facts the value was computed from.
/// </summary>
public sealed record IndicatorScore(
    string Code,
    string Name,
    decimal? Value,
    decimal Target,
    decimal Points,
    decimal Weight,
    string Rule,
    IReadOnlyList<FactLine> Facts);

/// <summary>Points taken off, and why: the scheme's reason, the indicator it looked at and the comparison that triggered it.</summary>
public sealed record DeductionApplied(string Code, string Reason, decimal Points, string? Indicator = null, string? Rule = null);

/// <summary>
/// A station's or institute's score for a period: the total (points less deductions, never below zero), the star band
/// it reaches, every indicator explained, and the scheme version that produced it.
/// </summary>
public sealed record SubjectScore(
    AssessmentTier Tier,
    string Subject,
    string? Name,
    string Period,
    SchemeRef Scheme,
    decimal Total,
    int Stars,
    string? StarName,
    IReadOnlyList<IndicatorScore> Indicators,
    IReadOnlyList<DeductionApplied> Deductions);

/// <summary>A place in a ranking: ties share a rank (1, 2, 2, 4).</summary>
public sealed record RankedScore(int Rank, SubjectScore Score);

/// <summary>
/// Computes scores live from the cells and the facts with the year's scheme. Stations are ranked within their
/// township, institutes within the county.
/// </summary>
public interface IScoreCalculator
{
    /// <summary>Every subject of <paramref name="tier"/> under <paramref name="under"/> (a division prefix), scored and ranked.</summary>
    Task<IReadOnlyList<RankedScore>> RankAsync(AssessmentTier tier, Period period, string under, CancellationToken cancellationToken);

    /// <summary>One subject's score with its explanation, or null when the subject is unknown.</summary>
    Task<SubjectScore?> ScoreAsync(AssessmentTier tier, string subject, Period period, CancellationToken cancellationToken);
}
