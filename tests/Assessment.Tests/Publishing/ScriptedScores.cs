using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Publishing;

/// <summary>
/// Scores a test sets and changes at will, so publishing can be checked on its own: what was frozen, and the difference
/// a later change makes. Kept per period, so each test's period holds only its own subjects. Each score has one
/// indicator (concentrated activities) whose points are the total.
/// </summary>
public sealed class ScriptedScores : IScoreCalculator
{
    private readonly ConcurrentDictionary<(string Period, AssessmentTier Tier, string Subject), (decimal Total, decimal Value)> _scores = new();

    public void Set(string period, AssessmentTier tier, string subject, decimal total, decimal value = 2) => _scores[(period, tier, subject)] = (total, value);

    public Task<IReadOnlyList<RankedScore>> RankAsync(AssessmentTier tier, Period period, string under, CancellationToken cancellationToken)
    {
        var scores = _scores.Keys.Where(k => k.Period == period.ToString() && k.Tier == tier && k.Subject.StartsWith(under, StringComparison.Ordinal))
            .Select(k => Score(tier, k.Subject, period)!).OrderByDescending(s => s.Total).ToList();
        IReadOnlyList<RankedScore> ranked = [.. scores.Select(s => new RankedScore(scores.FindIndex(o => o.Total == s.Total) + 1, s))];
        return Task.FromResult(ranked);
    }

    public Task<SubjectScore?> ScoreAsync(AssessmentTier tier, string subject, Period period, CancellationToken cancellationToken) =>
        Task.FromResult(Score(tier, subject, period));

    private SubjectScore? Score(AssessmentTier tier, string subject, Period period) =>
        _scores.TryGetValue((period.ToString(), tier, subject), out var score)
            ? new SubjectScore(tier, subject, $"站 {subject}", period.ToString(), new SchemeRef(subject[..6], period.Year, 0), score.Total,
                score.Total >= 90 ? 5 : 0, score.Total >= 90 ? "五星级实践站" : null,
                [new IndicatorScore("concentratedActivities", "集中实践活动", score.Value, 2, score.Total, 100, "线性", [new FactLine("集中实践活动", score.Value, period.ToString())])],
                [])
            : null;

    internal static void Register(IWebHostBuilder builder, ScriptedScores scores) =>
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IScoreCalculator>();
            services.AddSingleton<IScoreCalculator>(scores);
        });
}

/// <summary>The assessment service with <see cref="ScriptedScores"/> in place of the calculator, on SQLite.</summary>
public sealed class PublishingFactory : ServiceFactory<AssessmentModule>
{
    public ScriptedScores Scores { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ScriptedScores.Register(builder, Scores);
    }
}

/// <summary>The same on the real PostgreSQL, where concurrent publishes race for the key.</summary>
public sealed class PostgresPublishingFactory() : PostgresServiceFactory<AssessmentModule>("assessment")
{
    public ScriptedScores Scores { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ScriptedScores.Register(builder, Scores);
    }
}
