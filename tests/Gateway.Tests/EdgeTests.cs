using System.Net;
using System.Net.Http.Json;

namespace PracticeMesh.Gateway.Tests;

/// <summary>Body size limit, CORS and security headers.</summary>
public sealed class EdgeTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task An_oversized_body_is_413_and_never_forwarded()
    {
        using var client = gateway.CreateClient();
        var path = $"/api/v1/grid/cases-{Guid.NewGuid():N}";

        using var response = await client.PostAsync(path, new ByteArrayContent(new byte[GatewayFixture.MaxBodyBytes + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, gateway.Backend.CountFor(path));
    }

    [Fact]
    public async Task A_body_at_the_limit_is_forwarded()
    {
        using var client = gateway.CreateClient();
        var path = $"/api/v1/grid/cases-{Guid.NewGuid():N}";

        using var response = await client.PostAsync(path, new ByteArrayContent(new byte[GatewayFixture.MaxBodyBytes]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, gateway.Backend.CountFor(path));
    }

    [Fact]
    public async Task An_activitys_attachment_may_be_larger_than_other_bodies_up_to_its_routes_own_limit()
    {
        using var client = gateway.CreateClient();
        var path = $"/api/v1/activities/{Guid.NewGuid()}/records/attachments";

        // A phone photo: well over the general limit, within the attachments route's (its metadata, 5 MiB and a form's overhead).
        using var photo = await client.PostAsync(path, new ByteArrayContent(new byte[GatewayFixture.MaxBodyBytes * 100]));
        using var tooLarge = await client.PostAsync(path, new ByteArrayContent(new byte[5_373_952 + 1]));

        Assert.Equal(HttpStatusCode.Created, photo.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(1, gateway.Backend.CountFor(path));
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_allowed()
    {
        using var client = gateway.CreateAnonymousClient();

        using var response = await client.SendAsync(Preflight(GatewayFixture.AllowedOrigin));

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal([GatewayFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("authorization", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_allow_header()
    {
        using var client = gateway.CreateAnonymousClient();

        using var response = await client.SendAsync(Preflight("https://evil.example"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_cross_origin_call_from_an_allowed_origin_can_read_the_correlation_id()
    {
        using var client = gateway.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stations/x");
        request.Headers.Add("Origin", GatewayFixture.AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal([GatewayFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("X-Correlation-Id", string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers")));
    }

    [Theory]
    [InlineData("/api/v1/stations/x", true)]
    [InlineData("/api/v1/nope", false)]
    [InlineData("/health/live", false)]
    public async Task Every_response_carries_the_security_headers(string path, bool authenticated)
    {
        using var client = authenticated ? gateway.CreateClient() : gateway.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
    }

    [Fact]
    public async Task An_unauthenticated_answer_carries_the_security_headers_too()
    {
        using var client = gateway.CreateAnonymousClient();

        using var response = await client.GetAsync("/api/v1/stations/x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/activities/plans");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        return request;
    }
}
