using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Publishing;

/// <summary>Two admins publishing the same period at once, on the real PostgreSQL: one set of results, never two.</summary>
public sealed class ConcurrentPublishingTests(PostgresPublishingFactory factory) : IClassFixture<PostgresPublishingFactory>
{
    [Fact]
    public async Task Concurrent_publishes_of_one_period_give_exactly_one_201_and_one_set_of_rows()
    {
        for (var i = 0; i < 30; i++)
        {
            factory.Scores.Set("2025-06", AssessmentTier.Station, $"321324104{200 + i}", 50 + i);
        }
        factory.Scores.Set("2025-06", AssessmentTier.Institute, "321324104", 77);

        var clients = Enumerable.Range(0, 6).Select(_ => factory.CreateClient()).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync("/api/v1/assessment/periods/2025-06/publish", new { county = "321324" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        Assert.Equal(1, await db.PublishedPeriods.CountAsync(p => p.Period == "2025-06"));
        Assert.Equal(31, await db.PublishedResults.CountAsync(r => r.Period == "2025-06"));
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.MessageType.Contains("AssessmentPublished")));
        foreach (var (client, response) in clients.Zip(responses))
        {
            response.Dispose();
            client.Dispose();
        }
    }
}
