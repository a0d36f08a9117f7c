using System.Globalization;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>
/// The one rounding rule: points and totals to 2 decimals, values to 4, half away from zero (as a county's score sheet
/// rounds), and how figures are written in explanations.
/// </summary>
public static class ScoreMath
{
    public static decimal Points(decimal points) => Math.Round(points, 2, MidpointRounding.AwayFromZero);

    public static decimal Value(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    public static string Show(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string ShowPoints(decimal points) => Points(points).ToString("0.00", CultureInfo.InvariantCulture);

    public static string Percent(decimal share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// Turns indicator values into points with a scheme (考核方案): Linear = weight × min(1, value ÷ target); Threshold = the
/// points of the highest band whose share of the target the value reaches; Capped = min(cap, points per unit × value).
/// Targets stated per month are multiplied by the period's months, yearly ones prorated by its months of twelve.
/// An indicator with nothing to measure (no teams, no ratings) is not applicable: it earns nothing and its weight is
/// spread over the applicable indicators in proportion to theirs, so a station is neither rewarded nor punished for what
/// it has no occasion to do. Deductions apply when an applicable value is below their threshold (in the target's unit);
/// the total is points less deductions, never below zero; stars are the highest band the total reaches.
/// </summary>
public static class Scorer
{
    public static SubjectScore Score(AssessmentTier tier, string subject, string? name, Period period, ActiveScheme scheme,
        IReadOnlyDictionary<string, IndicatorFigure> figures)
    {
        var rules = scheme.Document.Indicators.Where(r => r.Tiers.Contains(tier) && IndicatorCatalog.Find(r.Code) is not null).ToList();
        var totalWeight = rules.Sum(r => r.Weight);
        var applicableWeight = rules.Where(r => figures[r.Code].Value is not null).Sum(r => r.Weight);
        var scale = applicableWeight == 0 ? 0 : totalWeight / applicableWeight;
        var spread = scale != 1 && applicableWeight != 0
            ? $"；不适用指标的权重分摊：× {ScoreMath.Show(totalWeight)} ÷ {ScoreMath.Show(applicableWeight)}"
            : "";

        var indicators = new List<IndicatorScore>();
        foreach (var rule in rules)
        {
            var definition = IndicatorCatalog.Find(rule.Code)!;
            var figure = figures[rule.Code];
            var (target, targetText) = Target(definition.Unit, rule.Target, period);
            var indicatorName = rule.Name ?? definition.Name;
            if (figure.Value is not { } value)
            {
                indicators.Add(new IndicatorScore(rule.Code, indicatorName, null, target, 0, rule.Weight,
                    $"{figure.Basis}：不适用，不得分，权重 {ScoreMath.Show(rule.Weight)} 分摊到其余指标", figure.Facts));
                continue;
            }
            var (raw, methodText) = Points(rule, value, target);
            var points = ScoreMath.Points(raw * scale);
            var text = $"{figure.Basis}；目标 {targetText}；{methodText}";
            if (scale != 1)
            {
                text += $"{spread} = {ScoreMath.ShowPoints(points)}";
            }
            indicators.Add(new IndicatorScore(rule.Code, indicatorName, value, target, points, ScoreMath.Points(rule.Weight * scale), text, figure.Facts));
        }

        var deductions = new List<DeductionApplied>();
        foreach (var rule in scheme.Document.Deductions ?? [])
        {
            if ((rule.Tiers is { } tiers && !tiers.Contains(tier)) || IndicatorCatalog.Find(rule.Indicator) is not { } definition
                || !figures.TryGetValue(rule.Indicator, out var figure) || figure.Value is not { } value)
            {
                continue;
            }
            var (below, belowText) = Target(definition.Unit, rule.Below, period);
            if (value < below)
            {
                deductions.Add(new DeductionApplied(rule.Code, rule.Reason, ScoreMath.Points(rule.Points), rule.Indicator,
                    $"{definition.Name} {ScoreMath.Show(value)} < {belowText}：扣 {ScoreMath.ShowPoints(rule.Points)} 分"));
            }
        }

        var total = ScoreMath.Points(Math.Max(0, indicators.Sum(i => i.Points) - deductions.Sum(d => d.Points)));
        var band = scheme.Document.StarBands.OrderByDescending(b => b.MinScore).FirstOrDefault(b => total >= b.MinScore);
        return new SubjectScore(tier, subject, name, period.ToString(), scheme.Ref, total, band?.Stars ?? 0, band?.Name, indicators, deductions);
    }

    /// <summary>A target (or threshold) as it applies to the period, and how it was reached, in the indicator's unit.</summary>
    public static (decimal Target, string Text) Target(TargetKind unit, decimal stated, Period period)
    {
        var months = period.MonthCount;
        var s = ScoreMath.Show(stated);
        switch (unit)
        {
            case TargetKind.CountPerMonth:
            case TargetKind.HoursPerMonth:
            {
                var target = stated * months;
                var per = unit == TargetKind.CountPerMonth ? "次/月" : "小时/月";
                return (target, months == 1 ? $"{s} {per}" : $"{s} {per} × {months} 月 = {ScoreMath.Show(target)}");
            }
            case TargetKind.CountPerYear:
            case TargetKind.HoursPerHeadPerYear:
            {
                var target = ScoreMath.Value(stated * months / 12);
                var per = unit == TargetKind.CountPerYear ? "次/年" : "小时/人/年";
                return (target, months == 12 ? $"{s} {per}" : $"{s} {per} × {months} ÷ 12 月 = {ScoreMath.Show(target)}");
            }
            case TargetKind.Ratio:
                return (stated, ScoreMath.Percent(stated));
            case TargetKind.Boolean:
                return (stated, stated >= 1 ? "达标" : s);
            default:
                return (stated, s);
        }
    }

    private static (decimal Points, string Text) Points(IndicatorRule rule, decimal value, decimal target)
    {
        var (v, t, w) = (ScoreMath.Show(value), ScoreMath.Show(target), ScoreMath.Show(rule.Weight));
        switch (rule.Method)
        {
            case ScoringMethod.Threshold:
            {
                var bands = (rule.Bands ?? []).OrderByDescending(b => b.AtLeast).ToList();
                var hit = bands.FirstOrDefault(b => value >= b.AtLeast * target);
                if (hit is null)
                {
                    var lowest = bands.Count == 0 ? target : bands[^1].AtLeast * target;
                    return (0, $"{v} < {ScoreMath.Show(lowest)}，未达任何档次 = 0.00");
                }
                var points = Math.Min(hit.Points, rule.Weight);
                return (points, $"{v} ≥ {ScoreMath.Show(hit.AtLeast)} × {t} = {ScoreMath.Show(hit.AtLeast * target)} → {ScoreMath.ShowPoints(points)}");
            }
            case ScoringMethod.Capped:
            {
                var perUnit = rule.PointsPerUnit ?? 0;
                var cap = Math.Min(rule.Cap ?? rule.Weight, rule.Weight);
                var points = Math.Max(0, Math.Min(cap, perUnit * value));
                return (points, $"min({ScoreMath.Show(cap)}, {ScoreMath.Show(perUnit)} × {v}) = {ScoreMath.ShowPoints(points)}");
            }
            default:
            {
                if (target <= 0)
                {
                    return (rule.Weight, $"目标为 0，得满分 {ScoreMath.ShowPoints(rule.Weight)}");
                }
                var share = Math.Max(0, value / target);
                var points = rule.Weight * Math.Min(1, share);
                return (points, share > 1
                    ? $"min(1, {v} ÷ {t}) × {w} = {ScoreMath.ShowPoints(points)}"
                    : $"{v} ÷ {t} × {w} = {ScoreMath.ShowPoints(points)}");
            }
        }
    }
}
