using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Leaderboards;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Leaderboards.BoardFeed;

namespace PracticeMesh.Assessment.Tests.Leaderboards;

/// <summary>Two replicas on one database and one Redis, each projecting marks as the other's consumers write them.</summary>
public sealed class ReplicaTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_replicas_projecting_at_once_leave_every_volunteer_at_their_total()
    {
        var database = RealServers.UniqueName("assessment_test");
        var prefix = $"practicemesh-test:lb{Guid.NewGuid():N}:";
        var first = new Replica(database, prefix);
        await ((IAsyncLifetime)first).InitializeAsync();
        var second = new Replica(database, prefix);
        try
        {
            await ((IAsyncLifetime)second).InitializeAsync();
            var feeds = new[] { new BoardFeed(first.Services), new BoardFeed(second.Services) };
            const string village = "321324101201";
            var volunteers = Enumerable.Range(1, 20).Select(Id).ToList();
            foreach (var (volunteer, i) in volunteers.Select((v, i) => (v, i)))
            {
                await feeds[i % 2].VolunteerAsync(volunteer, $"志愿者{i + 1}", village);
            }
            // Each volunteer's hours move several times, some down again, through one replica's writes (two writers of one
            // cell would race on its version, which the consumers' retries settle), while both replicas project every mark.
            var totals = volunteers.ToDictionary(v => v, _ => 0m);
            var random = new Random(14);
            await Task.WhenAll(feeds.Select(async (feed, replica) =>
            {
                for (var round = 0; round < 4; round++)
                {
                    foreach (var volunteer in volunteers.Where((_, i) => i % 2 == replica))
                    {
                        var hours = round == 3 && random.Next(3) == 0 ? -0.5m : 1.25m;
                        lock (totals)
                        {
                            totals[volunteer] += hours;
                        }
                        await feed.CreditAsync(volunteer, hours, March);
                    }
                }
            }));

            using var client = second.CreateClient();
            var expected = volunteers.Select(v => (Id: v, Hours: totals[v])).OrderByDescending(v => v.Hours).ThenByDescending(v => v.Id.ToString(), StringComparer.Ordinal)
                .ToList();
            var board = await HttpAssertions.EventuallyAsync(async () =>
            {
                var places = await client.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={village}&top=100");
                return places.Select(p => (p.VolunteerId, p.Hours)).SequenceEqual(expected.Select(e => (e.Id, e.Hours))) ? places : null;
            }, "both replicas' boards to show every volunteer's total");
            Assert.Equal(20, board.Count);
            using var scope = first.Services.CreateScope();
            await HttpAssertions.EventuallyAsync(async () =>
                await scope.ServiceProvider.GetRequiredService<AssessmentDbContext>().LeaderboardMarks.AnyAsync() ? null : "", "every mark to be handled");
        }
        finally
        {
            await second.DisposeAsync();
            await AssessmentOnRedisFactory.RemoveKeysAsync(prefix);
            await ((IAsyncLifetime)first).DisposeAsync();
        }
    }

    /// <summary>One replica: the shared database (dropped by the first when it is disposed) and the shared keys.</summary>
    private sealed class Replica(string database, string prefix) : PostgresServiceFactoryOn(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:redis", RealServers.Redis);
            builder.UseSetting("Cache:RedisKeyPrefix", prefix);
            builder.UseSetting("Assessment:Leaderboards:Interval", "00:00:00.100");
            builder.UseSetting("Assessment:Leaderboards:BatchSize", "7");
        }
    }

    /// <summary>The assessment service on a named PostgreSQL database, as a second replica finds it.</summary>
    private class PostgresServiceFactoryOn(string database) : PostgresServiceFactory<AssessmentModule>("assessment", database);
}
