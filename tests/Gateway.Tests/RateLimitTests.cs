using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// Limits per client and per IP. With Redis (the real one tests/run-all.sh starts) two gateway replicas share the
/// counters; without it each gateway counts alone. Each test has its own Redis key prefix and its own clients.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private EchoBackend backend = null!;

    public async Task InitializeAsync() => backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await backend.DisposeAsync();

    [Fact]
    public async Task A_partners_own_limit_holds_across_two_gateways_sharing_redis()
    {
        var prefix = GatewayHost.NewKeyPrefix();
        await using var first = GatewayHost.Create(GatewayHost.Settings(backend.Address, GatewayHost.Redis, prefix));
        await using var second = GatewayHost.Create(GatewayHost.Settings(backend.Address, GatewayHost.Redis, prefix));
        var token = GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}", rateLimit: 5);
        using var viaFirst = first.CreateClient().WithToken(token);
        using var viaSecond = second.CreateClient().WithToken(token);

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await (i % 2 == 0 ? viaFirst : viaSecond).GetAsync("/api/v1/activities/x");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var rejected = await viaSecond.GetAsync("/api/v1/activities/limited");

        await AssertRejectedAsync(rejected);
        Assert.Equal(0, backend.CountFor("/api/v1/activities/limited"));
        // Another client has its own budget.
        using var other = first.CreateClient().WithToken(GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}", rateLimit: 5));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/activities/x")).StatusCode);
    }

    [Fact]
    public async Task A_large_limit_counted_in_blocks_is_never_exceeded_across_two_gateways()
    {
        // 1,000 a minute: each gateway draws permits from Redis 10 at a time.
        const int limit = 1000;
        var prefix = GatewayHost.NewKeyPrefix();
        await using var first = GatewayHost.Create(GatewayHost.Settings(backend.Address, GatewayHost.Redis, prefix));
        await using var second = GatewayHost.Create(GatewayHost.Settings(backend.Address, GatewayHost.Redis, prefix));
        var token = GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}", rateLimit: limit);
        using var viaFirst = first.CreateClient().WithToken(token);
        using var viaSecond = second.CreateClient().WithToken(token);

        var admitted = 0;
        var firstRefusal = -1;
        for (var i = 0; i < limit + 50; i++)
        {
            // Mostly through the first replica, so the second holds a part-used block.
            using var response = await (i % 10 == 9 ? viaSecond : viaFirst).GetAsync("/api/v1/activities/blocks");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted++;
            }
            else
            {
                await AssertRejectedAsync(response);
                firstRefusal = firstRefusal < 0 ? i : firstRefusal;
            }
        }

        Assert.Equal(admitted, backend.CountFor("/api/v1/activities/blocks"));
        Assert.InRange(admitted, limit - 10, limit);
        Assert.InRange(firstRefusal, limit - 10, limit);
    }

    [Fact]
    public async Task The_default_client_limit_applies_in_process_without_redis()
    {
        var settings = GatewayHost.Settings(backend.Address);
        settings["Gateway:RateLimiting:PerClientPermitsPerMinute"] = "5";
        await using var gateway = GatewayHost.Create(settings);
        using var client = gateway.CreateClient().WithToken(GatewayHost.PersonToken());

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await client.GetAsync("/api/v1/grid/x");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var rejected = await client.GetAsync("/api/v1/grid/x");

        await AssertRejectedAsync(rejected);
    }

    [Fact]
    public async Task The_token_claim_overrides_the_default_client_limit()
    {
        var settings = GatewayHost.Settings(backend.Address);
        settings["Gateway:RateLimiting:PerClientPermitsPerMinute"] = "2";
        await using var gateway = GatewayHost.Create(settings);
        using var client = gateway.CreateClient().WithToken(GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}", rateLimit: 3));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/api/v1/grid/x");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_ip_limit_covers_anonymous_callers_across_two_gateways_sharing_redis()
    {
        var prefix = GatewayHost.NewKeyPrefix();
        var settings = GatewayHost.Settings(backend.Address, GatewayHost.Redis, prefix);
        settings["Gateway:RateLimiting:PerIpPermitsPerMinute"] = "3";
        await using var first = GatewayHost.Create(settings);
        await using var second = GatewayHost.Create(settings);
        using var viaFirst = first.CreateClient();
        using var viaSecond = second.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await viaFirst.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaFirst.GetAsync("/.well-known/openid-configuration")).StatusCode);
        using var rejected = await viaSecond.PostAsync("/connect/token", new FormUrlEncodedContent([]));

        await AssertRejectedAsync(rejected);
        // Probes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_ip_limit_covers_authenticated_callers_too()
    {
        var settings = GatewayHost.Settings(backend.Address);
        settings["Gateway:RateLimiting:PerIpPermitsPerMinute"] = "2";
        await using var gateway = GatewayHost.Create(settings);

        // Two clients, one address: each client is under its own limit, the address is not.
        using var one = gateway.CreateClient().WithToken(GatewayHost.PersonToken());
        using var two = gateway.CreateClient().WithToken(GatewayHost.PersonToken());
        Assert.Equal(HttpStatusCode.OK, (await one.GetAsync("/api/v1/stations/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await two.GetAsync("/api/v1/stations/x")).StatusCode);
        using var rejected = await one.GetAsync("/api/v1/stations/x");

        await AssertRejectedAsync(rejected);
    }

    private static async Task AssertRejectedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Contains("Too many requests", await response.Content.ReadAsStringAsync());
    }
}
