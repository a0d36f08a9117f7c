using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// The gateway's own use of Redis while Redis is down: rate limits fail open (the services still check every call;
/// refusing all traffic for want of a counter would turn a Redis outage into an API outage), and an Idempotency-Key
/// that cannot be honoured is 503 with Retry-After (forwarding without it could create twice what the caller asked
/// to create once); both answered at once, and both back to normal when Redis is.
/// </summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task Without_Redis_reads_go_through_and_a_keyed_create_is_503_with_retry_after_until_Redis_is_back()
    {
        await using var redis = await OwnRedisServer.StartNewAsync();
        await using var backend = await EchoBackend.StartAsync();
        await using var factory = GatewayHost.Create(GatewayHost.Settings(backend.Address, redis.ConnectionString));
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());
        (await Keyed(client, "before", "/api/v1/stations/before", HttpStatusCode.Created)).Dispose();

        redis.Kill();
        var clock = Stopwatch.StartNew();
        using (var read = await client.GetAsync("/api/v1/stations/during"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using (var refused = await Keyed(client, "during", "/api/v1/stations/keyed-during", HttpStatusCode.ServiceUnavailable))
        {
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        }
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"two requests answered after {clock.Elapsed}");
        Assert.Equal(0, backend.CountFor("/api/v1/stations/keyed-during"));
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await redis.StartAsync();
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var retried = await Keyed(client, "during", "/api/v1/stations/keyed-during", null);
            return retried.StatusCode == HttpStatusCode.Created ? "created" : null;
        }, "the keyed create to go through once Redis is back", TimeSpan.FromSeconds(30));
        using (var replayed = await Keyed(client, "during", "/api/v1/stations/keyed-during", HttpStatusCode.Created))
        {
            Assert.Equal("true", replayed.Headers.GetValues("Idempotency-Replayed").Single());
        }
        Assert.Equal(1, backend.CountFor("/api/v1/stations/keyed-during"));
    }

    [Fact]
    public async Task A_keyed_create_whose_answer_cannot_be_stored_still_reaches_the_caller()
    {
        await using var redis = await OwnRedisServer.StartNewAsync();
        await using var backend = await EchoBackend.StartAsync();
        await using var factory = GatewayHost.Create(GatewayHost.Settings(backend.Address, redis.ConnectionString));
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());
        var held = backend.Hold("/api/v1/stations/slow");

        var sending = Keyed(client, "slow", "/api/v1/stations/slow", null);
        await held.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Redis goes away while the service is creating the record.
        redis.Kill();
        held.Release.SetResult();

        using var answer = await sending;
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(1, backend.CountFor("/api/v1/stations/slow"));
    }

    private static async Task<HttpResponseMessage> Keyed(HttpClient client, string key, string path, HttpStatusCode? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { name = "x" }) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
        return response;
    }
}
