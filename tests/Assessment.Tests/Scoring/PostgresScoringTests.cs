using PracticeMesh.Assessment.Scoring;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>Assessment on the real PostgreSQL, in a database of its own.</summary>
public sealed class PostgresAssessmentFactory() : PostgresServiceFactory<AssessmentModule>("assessment");

/// <summary>The same station scored on PostgreSQL, where the set-based queries run as the deployed service runs them.</summary>
public sealed class PostgresScoringTests(PostgresAssessmentFactory factory, ScoringTests.MarchStation march)
    : IClassFixture<PostgresAssessmentFactory>, IClassFixture<ScoringTests.MarchStation>
{
    [Fact]
    public async Task A_station_scores_and_ranks_the_same_on_PostgreSQL()
    {
        await march.EnsureAsync(factory);
        using var client = factory.CreateClient();

        var score = await client.GetAsync<SubjectScore>($"/api/v1/assessment/stations/{ScoringTests.MarchStation.Code}/scores/2026-03");
        var ranking = await client.GetAsync<RankingResponse>("/api/v1/assessment/rankings?period=2026-03&tier=Station&under=321324101");
        var institutes = await client.GetAsync<RankingResponse>("/api/v1/assessment/rankings?period=2026-Q1&tier=Institute&under=321324");

        // As on SQLite: the pioneer who left at 10:00 on 20 March counts for 0.6263 of a head in teams' per-head hours.
        Assert.Equal(58.29m, score.Total);
        Assert.Equal((0.25m, 2m, 0.5m), (score.Indicators.Single(i => i.Code == "teamParticipation").Value,
            score.Indicators.Single(i => i.Code == "cadreHoursPerHead").Value, score.Indicators.Single(i => i.Code == "candidateHoursPerHead").Value));
        Assert.Equal([(1, ScoringTests.MarchStation.Code, 58.29m)], ranking.Items.Select(i => (i.Rank, i.Subject, i.Total)));
        Assert.Equal(["321324101"], institutes.Items.Select(i => i.Subject));
    }
}
