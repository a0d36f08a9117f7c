using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.Assessment.Leaderboards;
using PracticeMesh.TestSupport;
using StackExchange.Redis;
using static PracticeMesh.Assessment.Tests.Leaderboards.BoardFeed;

namespace PracticeMesh.Assessment.Tests.Leaderboards;

/// <summary>The two stores side by side, and the boards across a restart and a Redis outage.</summary>
public sealed class LeaderboardStoreTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Redis_and_the_in_process_store_answer_the_same_boards_for_the_same_standings()
    {
        var prefix = $"practicemesh-test:lb{Guid.NewGuid():N}:";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RealServers.Redis);
        try
        {
            ILeaderboardStore[] stores = [new RedisLeaderboardStore(redis, prefix), new MemoryLeaderboardStore()];
            var random = new Random(14);
            string[] villages = ["321324101201", "321324101202", "321324102201"];
            var subjects = Enumerable.Range(0, 60).Select(i => Guid.NewGuid().ToString()).ToList();
            // Three rounds: everyone placed, then some moved, zeroed (off every board) or tied, as later marks would.
            for (var round = 0; round < 3; round++)
            {
                var standings = subjects.Where(_ => round == 0 || random.Next(3) == 0).Select(s =>
                {
                    var village = villages[random.Next(villages.Length)];
                    var score = random.Next(4) == 0 ? 0 : random.Next(1, 8) * 50L;
                    return new LeaderboardStanding(s, score, LeaderboardBoards.For(village, null));
                }).ToList();
                foreach (var store in stores)
                {
                    await store.SetAsync(LeaderboardKind.Volunteers, 2026, standings, CancellationToken.None);
                }
            }

            foreach (var board in (string[])["321324", "321324101", "321324102", .. villages, "321325"])
            {
                var tops = await Task.WhenAll(stores.Select(s => s.TopAsync(LeaderboardKind.Volunteers, 2026, board, 25, CancellationToken.None)));
                Assert.Equal(tops[1], tops[0]);
            }
            var onBoards = await Task.WhenAll(stores.Select(s => s.SubjectsAsync(LeaderboardKind.Volunteers, 2026, CancellationToken.None)));
            Assert.Equal(onBoards[1].Order(), onBoards[0].Order());
            Assert.NotEmpty(onBoards[0]);
            Assert.Empty(await stores[0].TopAsync(LeaderboardKind.Teams, 2026, "321324", 10, CancellationToken.None));
        }
        finally
        {
            await AssessmentOnRedisFactory.RemoveKeysAsync(prefix);
        }
    }

    [Fact]
    public async Task The_standalone_hosts_boards_are_filled_from_the_cells_when_it_starts_again()
    {
        var directory = Path.Combine(Path.GetTempPath(), "practicemesh-tests", Guid.NewGuid().ToString("N"));
        var village = "321324101201";
        var a = Id(1);
        try
        {
            await using (var before = new AssessmentOnDirectoryFactory(directory))
            {
                await before.StartAsync();
                var feed = new BoardFeed(before.Services);
                await feed.VolunteerAsync(a, "王芳", village);
                await feed.CreditAsync(a, 5m, March);
                using var client = before.CreateClient();
                await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, a, "王芳", village, 5m)]);
            }

            // The marks were handled and deleted; the new process's boards start empty and are filled from the cells.
            await using var after = new AssessmentOnDirectoryFactory(directory);
            await after.StartAsync();
            using var again = after.CreateClient();
            await BoardAsync(again, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, a, "王芳", village, 5m)]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task While_Redis_is_down_the_boards_answer_503_and_the_marks_wait_for_it()
    {
        await using var redis = await OwnRedisServer.StartNewAsync();
        var factory = new AssessmentOnOwnRedisFactory(redis.ConnectionString);
        await factory.StartAsync();
        try
        {
            var feed = new BoardFeed(factory.Services);
            var village = "321324101201";
            var a = Id(1);
            await feed.VolunteerAsync(a, "王芳", village);
            using var client = factory.CreateClient();

            redis.Kill();
            await feed.CreditAsync(a, 5m, March);
            using (var refused = await client.GetAsync($"{Boards}/volunteers?year=2026&under={village}"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
            Assert.Equal(1, await feed.MarksAsync(a.ToString()));

            await redis.StartAsync();

            await HttpAssertions.EventuallyAsync(async () =>
            {
                using var response = await client.GetAsync($"{Boards}/volunteers?year=2026&under={village}");
                return response.StatusCode == HttpStatusCode.OK
                    && await response.Content.ReadFromJsonAsync<List<VolunteerPlace>>(HttpAssertions.Json) is [{ Hours: 5m } place] && place.VolunteerId == a ? "" : null;
            }, "the board to show the hours credited while Redis was down");
            await HttpAssertions.EventuallyAsync(async () => await feed.MarksAsync(a.ToString()) == 0 ? "" : null, "the mark to be removed");
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    /// <summary>A standalone-configured host on a data folder the test keeps, so a second host can start on it.</summary>
    private sealed class AssessmentOnDirectoryFactory(string directory) : ServiceFactory<AssessmentModule>
    {
        public async Task StartAsync() => await ((IAsyncLifetime)this).InitializeAsync();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Database:DataDirectory", directory);
            builder.UseSetting("Assessment:Leaderboards:Interval", "00:00:00.200");
        }
    }

    /// <summary>SQLite and a Redis of the test's own, which it stops and starts.</summary>
    private sealed class AssessmentOnOwnRedisFactory(string redis) : ServiceFactory<AssessmentModule>
    {
        public async Task StartAsync() => await ((IAsyncLifetime)this).InitializeAsync();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:redis", redis);
            builder.UseSetting("Assessment:Leaderboards:Interval", "00:00:00.200");
        }
    }
}
