using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Reports;

/// <summary>
/// The service with scores that follow from the question alone (<see cref="FixedScores"/>), so a report's rows can be
/// checked cell by cell whatever the scheme and the facts would give.
/// </summary>
public sealed class ReportsFactory : ServiceFactory<AssessmentModule>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IScoreCalculator>();
            services.AddSingleton<IScoreCalculator, FixedScores>();
        });
    }
}

/// <summary>
/// Three stations under any prefix (the third tied with the second, one name with a comma and quotes, one that a
/// spreadsheet would take for a formula); a station's month scores its month number on concentrated activities and
/// has no rating; a code ending in 299 is unknown.
/// </summary>
public sealed class FixedScores : IScoreCalculator
{
    public static readonly (string Suffix, string Name, decimal Total, int Stars, string? StarName)[] Stations =
    [
        ("201", "王集村新时代文明实践站", 92.5m, 5, "五星级实践站"),
        ("202", "青阳街道\"东关\",社区实践站", 80m, 4, "四星级实践站"),
        ("203", "=1+2", 80m, 4, "四星级实践站"),
    ];

    public Task<IReadOnlyList<RankedScore>> RankAsync(AssessmentTier tier, Period period, string under, CancellationToken cancellationToken)
    {
        var township = under.PadRight(9, '1')[..9];
        IReadOnlyList<RankedScore> ranking =
        [
            .. Stations.Select((s, i) => new RankedScore(i == 2 ? 2 : i + 1, Score(tier, township + s.Suffix, period, s.Name, s.Total, s.Stars, s.StarName))),
        ];
        return Task.FromResult(ranking);
    }

    public Task<SubjectScore?> ScoreAsync(AssessmentTier tier, string subject, Period period, CancellationToken cancellationToken) =>
        Task.FromResult<SubjectScore?>(subject.EndsWith("299", StringComparison.Ordinal) ? null : Score(tier, subject, period, "实践站", 60m, 3, null));

    private static SubjectScore Score(AssessmentTier tier, string subject, Period period, string name, decimal total, int stars, string? starName) =>
        new(tier, subject, name, period.ToString(), new SchemeRef(subject[..6], period.Year, 3), total, stars, starName,
        [
            new(IndicatorCatalog.SixHaves, "六有达标", 1m, 1m, 10m, 10m, "达标得满分", []),
            new(IndicatorCatalog.ConcentratedActivities, "集中实践活动", period.Number, 2m * period.MonthCount, 12.5m, 15m, "按比例得分", []),
            new(IndicatorCatalog.AverageRating, "群众评价", null, 4.5m, 0m, 10m, "无评价不得分", []),
        ],
        [new DeductionApplied("late", "活动未提前公告", 2.5m)]);
}
