using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Publishing;

/// <summary>Publishing with the service's own calculator, from facts the consumers kept.</summary>
public sealed class PublishedWithRealScoresTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    [Fact]
    public async Task A_finished_month_with_a_completed_activity_is_published_and_reads_back_unchanged()
    {
        const string station = "321324106201";
        var startsAt = new DateTimeOffset(2026, 2, 10, 1, 0, 0, TimeSpan.Zero);
        await factory.DeliverAsync([new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), DivisionCode.Parse(station), Guid.NewGuid(), station, null,
            ActivityCategory.Culture, startsAt, startsAt.AddHours(2), [new(Guid.NewGuid(), 2m)], 1)]);
        using var client = factory.CreateClient();

        var created = await client.PostAsync("/api/v1/assessment/periods/2026-02/publish", new { county = "321324" }, HttpStatusCode.Created);
        Assert.Equal("321324", created.GetProperty("scheme").GetProperty("county").GetString());
        await factory.PublishedAsync<AssessmentPublished>(e => e.Period == "2026-02");

        var ranking = await client.GetAsync("/api/v1/assessment/periods/2026-02/results?tier=Station&under=321324106", HttpStatusCode.OK);
        Assert.All(ranking.GetProperty("items").EnumerateArray(), i => Assert.False(i.GetProperty("differs").GetBoolean()));
        await client.PostAsync("/api/v1/assessment/periods/2026-02/publish", new { county = "321324" }, HttpStatusCode.Conflict);
    }
}
