using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>The activities service with a Redis of its own, which a test may kill and start again.</summary>
public sealed class ActivitiesOnOwnRedisFactory : ActivitiesFactory
{
    // Started before the host is built: AddServiceDefaults reads the connection string while building.
    public OwnRedisServer Redis { get; } = OwnRedisServer.StartNewAsync().GetAwaiter().GetResult();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:redis", Redis.ConnectionString);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>While Redis is down, what needs it is answered 503 with Retry-After at once, and works again when Redis is back.</summary>
public sealed class RedisOutageTests(ActivitiesOnOwnRedisFactory factory) : IClassFixture<ActivitiesOnOwnRedisFactory>
{
    private const string Station = "321324104201";
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task A_QR_check_in_while_Redis_is_down_is_answered_503_with_retry_after_within_a_second_and_succeeds_once_it_is_back()
    {
        using var admin = factory.CreateClient();
        await _feed.StationAsync(Station);
        var volunteer = await _feed.VolunteerAsync();
        using var phone = _feed.Phone(volunteer);
        var startsAt = factory.Clock.GetUtcNow().AddHours(1);
        var id = await _feed.ActivityAsync(admin, startsAt, startsAt.AddHours(2));
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt);
        var token = (await admin.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString();

        factory.Redis.Kill();
        var clock = Stopwatch.StartNew();
        using var refused = await phone.PostAsJsonAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, token }, HttpAssertions.Json);
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Redis", await refused.Content.ReadAsStringAsync());
        // Before, the caller waited the client library's five-second default and got a 500.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"answered after {clock.Elapsed}");
        // What needs no Redis still answers, and the service stays ready (every replica shares the one Redis).
        await admin.GetAsync($"{Route}/{id}", HttpStatusCode.OK);
        // The venue screen's next code: the shared cache is unreachable, so this replica makes the code itself.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var next = (await admin.GetAsync($"{Route}/{id}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString();
        Assert.NotEqual(token, next);
        using (var ready = await admin.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        }

        await factory.Redis.StartAsync();
        // The same scan, retried as Retry-After asks, goes through once the service has reconnected; nothing was
        // recorded by the refused attempt, so it is no replay.
        var checkedIn = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var retried = await phone.PostAsJsonAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, token }, HttpAssertions.Json);
            if (retried.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            return await retried.Content.ReadAsStringAsync();
        }, "the check-in to succeed after Redis is back", TimeSpan.FromSeconds(30));
        Assert.Contains("\"checkInMethod\":\"QrToken\"", checkedIn);
        using (var ready = await admin.GetAsync("/health/ready"))
        {
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }
    }
}
