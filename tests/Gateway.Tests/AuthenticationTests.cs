using System.Net;
using System.Net.Http.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

public sealed class AuthenticationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string?> RejectedTokens => new()
    {
        { "none", null },
        { "expired", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", lifetime: TimeSpan.FromMinutes(-10)) },
        { "forged", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", key: TestTokens.ForgeryKey) },
        { "wrong audience", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", audience: "someone-else") },
        { "wrong issuer", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", issuer: "https://evil.example/") },
        { "garbage", "not-a-jwt" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Service_routes_turn_away_callers_without_a_valid_token(string kind, string? token)
    {
        using var client = gateway.CreateAnonymousClient();
        if (token is not null)
        {
            client.WithToken(token);
        }
        var path = $"/api/v1/stations/auth-{Guid.NewGuid():N}";

        using var response = await client.GetAsync(path);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == "Bearer");
        Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Equal(0, gateway.Backend.CountFor(path));
    }

    [Theory]
    [InlineData("/api/v1/identity/users")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/audit/records")]
    public async Task Identity_admin_routes_need_a_token(string path)
    {
        using var client = gateway.CreateAnonymousClient();

        using var response = await client.GetAsync(path + "?probe=" + Guid.NewGuid().ToString("N"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/identity/users")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/audit/records")]
    public async Task Identity_admin_routes_reach_the_identity_service_with_a_token(string path)
    {
        using var client = gateway.CreateClient();

        var echoed = await client.GetFromJsonAsync<EchoedRequest>(path);

        Assert.Equal(path, echoed!.Path);
    }

    [Fact]
    public async Task A_valid_token_passes_and_the_backend_sees_it()
    {
        var token = GatewayHost.PersonToken();
        using var client = gateway.CreateAnonymousClient().WithToken(token);

        var echoed = await client.GetFromJsonAsync<EchoedRequest>("/api/v1/volunteers/x");

        Assert.Equal($"Bearer {token}", echoed!.Authorization);
    }

    [Fact]
    public async Task The_token_endpoint_is_reachable_without_a_token()
    {
        using var client = gateway.CreateAnonymousClient();

        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "dashboard",
            ["client_secret"] = "secret",
        }));
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();

        Assert.Equal("/connect/token", echoed!.Path);
        Assert.Contains("grant_type=client_credentials", echoed.Body);
    }

    [Fact]
    public async Task Discovery_is_reachable_without_a_token()
    {
        using var client = gateway.CreateAnonymousClient();

        var echoed = await client.GetFromJsonAsync<EchoedRequest>("/.well-known/openid-configuration");

        Assert.Equal("/.well-known/openid-configuration", echoed!.Path);
    }

    [Fact]
    public async Task A_bad_token_on_an_anonymous_route_does_not_block_it()
    {
        // A client retrying with a stale token must still be able to get a new one.
        using var client = gateway.CreateAnonymousClient()
            .WithToken(TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", lifetime: TimeSpan.FromMinutes(-10)));

        using var response = await client.GetAsync("/.well-known/openid-configuration/jwks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
