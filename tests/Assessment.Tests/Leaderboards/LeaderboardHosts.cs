using Microsoft.AspNetCore.Hosting;
using PracticeMesh.TestSupport;
using StackExchange.Redis;

namespace PracticeMesh.Assessment.Tests.Leaderboards;

/// <summary>
/// The distributed configuration: PostgreSQL and the real Redis, the boards' keys under a prefix of this host's own
/// (removed afterwards, and by tests/remove-leftovers.sh after a killed run).
/// </summary>
public sealed class AssessmentOnRedisFactory() : PostgresServiceFactory<AssessmentModule>("assessment")
{
    public string KeyPrefix { get; } = $"practicemesh-test:lb{Guid.NewGuid():N}:";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:redis", RealServers.Redis);
        builder.UseSetting("Cache:RedisKeyPrefix", KeyPrefix);
        builder.UseSetting("Assessment:Leaderboards:Interval", "00:00:00.200");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await RemoveKeysAsync(KeyPrefix);
    }

    public static async Task RemoveKeysAsync(string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RealServers.Redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        {
            keys.Add(key);
        }
        if (keys.Count > 0)
        {
            await redis.GetDatabase().KeyDeleteAsync([.. keys]);
        }
    }
}

/// <summary>The standalone host's configuration (SQLite, no Redis: the boards in process), looking for marks often.</summary>
public sealed class AssessmentInProcessFactory : ServiceFactory<AssessmentModule>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Assessment:Leaderboards:Interval", "00:00:00.200");
    }
}

public sealed class InProcessLeaderboardTests(AssessmentInProcessFactory factory)
    : LeaderboardContract<AssessmentInProcessFactory>(factory), IClassFixture<AssessmentInProcessFactory>;

public sealed class RedisLeaderboardTests(AssessmentOnRedisFactory factory)
    : LeaderboardContract<AssessmentOnRedisFactory>(factory), IClassFixture<AssessmentOnRedisFactory>;
