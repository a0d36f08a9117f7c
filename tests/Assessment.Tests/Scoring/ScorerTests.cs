using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>How a scheme turns values into points, deductions and stars, on figures given directly.</summary>
public sealed class ScorerTests
{
    private static readonly Period March = Period.ForMonth(2026, 3);

    private static ActiveScheme Scheme(IReadOnlyList<IndicatorRule> indicators, IReadOnlyList<DeductionRule>? deductions = null) =>
        new(new SchemeRef("321324", 2026, 3), DefaultScheme.For("321324", 2026).Document with { Indicators = indicators, Deductions = deductions ?? [] });

    private static Dictionary<string, IndicatorFigure> Values(params (string Code, decimal? Value)[] values)
    {
        var figures = IndicatorCatalog.All.ToDictionary(d => d.Code, d => new IndicatorFigure(d.Code, null, "—", []));
        foreach (var (code, value) in values)
        {
            figures[code] = new IndicatorFigure(code, value, "given", []);
        }
        return figures;
    }

    private static readonly AssessmentTier[] Both = [AssessmentTier.Station, AssessmentTier.Institute];

    [Theory]
    [InlineData(4.5, 50)]
    [InlineData(4.2, 30)]
    [InlineData(3.7, 10)]
    [InlineData(3.5, 0)]
    public void A_threshold_earns_the_highest_band_the_value_reaches(decimal rating, decimal points)
    {
        var scheme = Scheme([
            new(IndicatorCatalog.AverageRating, null, Both, 50, 4.5m, ScoringMethod.Threshold, [new(0.8m, 10), new(1m, 50), new(0.9m, 30)]),
            new(IndicatorCatalog.StaffingMet, null, Both, 50, 1, ScoringMethod.Linear),
        ]);

        var score = Scorer.Score(AssessmentTier.Station, "321324101201", null, March, scheme, Values((IndicatorCatalog.AverageRating, rating), (IndicatorCatalog.StaffingMet, 1)));

        Assert.Equal(points, score.Indicators[0].Points);
        Assert.Equal(points + 50, score.Total);
    }

    [Fact]
    public void A_capped_indicator_earns_points_per_unit_up_to_its_cap()
    {
        var scheme = Scheme([
            new(IndicatorCatalog.CareVisits, null, Both, 20, 4, ScoringMethod.Capped, PointsPerUnit: 3, Cap: 10),
            new(IndicatorCatalog.SixHaves, null, Both, 80, 1, ScoringMethod.Linear),
        ]);

        var three = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.CareVisits, 3), (IndicatorCatalog.SixHaves, 1)));
        var five = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.CareVisits, 5), (IndicatorCatalog.SixHaves, 1)));

        Assert.Equal((9m, "given；目标 4 次/月；min(10, 3 × 3) = 9.00"), (three.Indicators[0].Points, three.Indicators[0].Rule));
        Assert.Equal(10m, five.Indicators[0].Points);
    }

    [Fact]
    public void Deductions_come_off_the_total_which_never_goes_below_zero()
    {
        var scheme = Scheme(
            [new(IndicatorCatalog.SixHaves, null, Both, 60, 1, ScoringMethod.Linear), new(IndicatorCatalog.ConcentratedActivities, null, Both, 40, 2, ScoringMethod.Linear)],
            [new("few", IndicatorCatalog.ConcentratedActivities, 1, 30, "集中活动过少"), new("sixHaves", IndicatorCatalog.SixHaves, 1, 50, "六有未达标"),
             new("institutesOnly", IndicatorCatalog.ConcentratedActivities, 2, 5, "仅实践所", [AssessmentTier.Institute])]);

        var short1 = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.SixHaves, 1), (IndicatorCatalog.ConcentratedActivities, 0.5m)));
        var none = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.SixHaves, 0), (IndicatorCatalog.ConcentratedActivities, 0)));

        Assert.Equal(["few"], short1.Deductions.Select(d => d.Code));
        Assert.Equal(60m + 10m - 30m, short1.Total);
        Assert.Contains("< 1", short1.Deductions[0].Rule);
        Assert.Equal(0m, none.Total);
        Assert.Equal(["few", "sixHaves"], none.Deductions.Select(d => d.Code));
    }

    [Theory]
    [InlineData(1, 1, 5, "五星级实践站")]
    [InlineData(1, 0.5, 4, "四星级实践站")]
    [InlineData(0.5, 0.75, 2, "二星级实践站")]
    [InlineData(0, 0.25, 0, null)]
    public void The_star_band_is_the_highest_the_total_reaches(decimal sixHaves, decimal concentrated, int stars, string? name)
    {
        var scheme = Scheme([new(IndicatorCatalog.SixHaves, null, Both, 60, 1, ScoringMethod.Linear), new(IndicatorCatalog.ConcentratedActivities, null, Both, 40, 2, ScoringMethod.Linear)]);

        var score = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.SixHaves, sixHaves), (IndicatorCatalog.ConcentratedActivities, concentrated * 2)));

        Assert.Equal((stars, name), (score.Stars, score.StarName));
        Assert.Equal(new SchemeRef("321324", 2026, 3), score.Scheme);
    }

    [Fact]
    public void An_indicator_of_the_other_tier_is_not_scored()
    {
        var scheme = Scheme([
            new(IndicatorCatalog.SixHaves, null, [AssessmentTier.Station], 100, 1, ScoringMethod.Linear),
            new(IndicatorCatalog.StaffingMet, null, [AssessmentTier.Institute], 100, 1, ScoringMethod.Linear),
        ]);

        var station = Scorer.Score(AssessmentTier.Station, "s", null, March, scheme, Values((IndicatorCatalog.SixHaves, 1), (IndicatorCatalog.StaffingMet, 0)));

        Assert.Equal([IndicatorCatalog.SixHaves], station.Indicators.Select(i => i.Code));
        Assert.Equal(100m, station.Total);
    }

    [Fact]
    public void Nothing_to_measure_at_all_scores_zero()
    {
        var score = Scorer.Score(AssessmentTier.Station, "s", null, March, DefaultScheme.For("321324", 2026), Values());

        Assert.Equal(0m, score.Total);
        Assert.All(score.Indicators, i => Assert.Equal(0m, i.Points));
    }

    [Fact]
    public void Ties_share_a_rank_and_the_next_rank_skips()
    {
        SubjectScore Of(string code, decimal total) => new(AssessmentTier.Station, code, null, "2026-03", new("321324", 2026, 0), total, 0, null, [], []);

        var ranked = ScoreCalculator.Rank([Of("b", 80), Of("d", 70), Of("a", 90), Of("c", 80)]);

        Assert.Equal([(1, "a"), (2, "b"), (2, "c"), (4, "d")], ranked.Select(r => (r.Rank, r.Score.Subject)));
    }
}
