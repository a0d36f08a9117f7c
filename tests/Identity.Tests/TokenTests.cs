using System.Net;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>/connect/token for people (password, refresh_token) and partners (client_credentials), and discovery.</summary>
public sealed class TokenTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    public static TheoryData<string, string, string> DemoPeople()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (userName, _, role, division) in DemoAccounts.People)
        {
            data.Add(userName, role, division);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DemoPeople))]
    public async Task A_person_gets_an_access_token_with_their_role_division_and_role_scopes(string userName, string role, string division)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync(userName, DemoAccounts.Password);

        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal("Bearer", token.Body.GetProperty("token_type").GetString());
        Assert.InRange(token.Body.GetProperty("expires_in").GetInt32(), 3500, 3600);
        var jwt = token.Jwt;
        Assert.Equal(TestTokens.Issuer, jwt.Issuer);
        Assert.Equal([PracticeMeshClaims.Audience], jwt.Audiences);
        Assert.Equal(role, jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Equal(division, jwt.GetClaim(PracticeMeshClaims.Division).Value);
        Assert.True(Guid.TryParse(jwt.Subject, out _));
        Assert.False(string.IsNullOrEmpty(jwt.GetClaim(PracticeMeshClaims.Name).Value));
        Assert.Equal(ApiScopes.ForRole(role).Order(), token.Scopes.Order());
        Assert.False(jwt.TryGetClaim("rate_limit", out _));

        // The token is accepted by a protected endpoint: admins may list people, everyone else is known but refused.
        using var client = factory.CreateAnonymousClient().WithBearer(token);
        var expected = role is PracticeMeshRoles.CountyAdmin or PracticeMeshRoles.TownshipAdmin ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
        await client.GetAsync("/api/v1/identity/people", expected);
    }

    [Fact]
    public async Task Requested_scopes_narrow_a_persons_token_to_those_their_role_carries()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync("volunteer", DemoAccounts.Password, $"{ApiScopes.ActivitiesRead} {ApiScopes.GridWrite}");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal([ApiScopes.ActivitiesRead], token.Scopes);

        var refused = await anonymous.PasswordAsync("volunteer", DemoAccounts.Password, ApiScopes.GridWrite);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_scope", refused.Error);

        var unknown = await anonymous.PasswordAsync("volunteer", DemoAccounts.Password, "no.such.scope");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("invalid_scope", unknown.Error);
    }

    [Theory]
    [InlineData("county.admin", "wrong-password")]
    [InlineData("nobody.here", DemoAccounts.Password)]
    [InlineData("", "")]
    public async Task A_wrong_password_or_unknown_user_is_refused(string userName, string password)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync(userName, password);
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.True(token.Error is "invalid_grant" or "invalid_request", token.Error);
    }

    [Fact]
    public async Task User_names_are_not_case_sensitive()
    {
        using var anonymous = factory.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PasswordAsync("County.Admin", DemoAccounts.Password)).Status);
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_access_token_while_the_person_is_active()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var first = await anonymous.PasswordAsync("grid.worker", DemoAccounts.Password, "offline_access");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var refreshToken = first.Body.GetProperty("refresh_token").GetString()!;

        var refreshed = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(PracticeMeshRoles.GridWorker, refreshed.Jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Contains(ApiScopes.GridReport, refreshed.Scopes);

        var bogus = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", "not-a-token"));
        Assert.Equal(HttpStatusCode.BadRequest, bogus.Status);
        Assert.Equal("invalid_grant", bogus.Error);
    }

    [Fact]
    public async Task The_demo_partner_gets_its_scopes_division_and_rate_limit()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.ClientCredentialsAsync(DemoAccounts.PartnerClientId, DemoAccounts.PartnerSecret);

        Assert.Equal(HttpStatusCode.OK, token.Status);
        var jwt = token.Jwt;
        Assert.Equal(DemoAccounts.PartnerScopes.Order(), token.Scopes.Order());
        Assert.Equal(PracticeMeshRoles.Partner, jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Equal("321324", jwt.GetClaim(PracticeMeshClaims.Division).Value);
        Assert.Equal(DemoAccounts.PartnerClientId, jwt.GetClaim(PracticeMeshClaims.ClientId).Value);
        Assert.Equal(DemoAccounts.PartnerClientId, jwt.Subject);
        Assert.Equal(120, jwt.GetPayloadValue<int>("rate_limit"));
        Assert.Equal([PracticeMeshClaims.Audience], jwt.Audiences);

        var narrowed = await anonymous.ClientCredentialsAsync(DemoAccounts.PartnerClientId, DemoAccounts.PartnerSecret, ApiScopes.StationsRead);
        Assert.Equal([ApiScopes.StationsRead], narrowed.Scopes);

        // Accepted by a protected endpoint (authenticated), refused there for want of an admin role.
        using var client = factory.CreateAnonymousClient().WithBearer(token);
        await client.GetAsync("/api/v1/identity/people", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_partner_cannot_ask_for_a_scope_it_was_not_registered_with()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.ClientCredentialsAsync(DemoAccounts.PartnerClientId, DemoAccounts.PartnerSecret, ApiScopes.StationsWrite);
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.NotNull(token.Error);
    }

    [Theory]
    [InlineData(DemoAccounts.PartnerClientId, "wrong-secret")]
    [InlineData("no-such-partner", "whatever")]
    public async Task A_wrong_secret_or_unknown_client_is_invalid_client(string clientId, string secret)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.ClientCredentialsAsync(clientId, secret);
        Assert.Contains(token.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal("invalid_client", token.Error);
    }

    [Fact]
    public async Task A_missing_secret_is_refused_without_a_server_error()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", DemoAccounts.PartnerClientId));
        Assert.Contains(token.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.True(token.Error is "invalid_client" or "invalid_request", token.Error);
    }

    [Fact]
    public async Task A_partner_cannot_use_the_password_grant()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.RequestTokenAsync(("grant_type", "password"), ("username", "county.admin"), ("password", DemoAccounts.Password),
            ("client_id", DemoAccounts.PartnerClientId), ("client_secret", DemoAccounts.PartnerSecret));
        Assert.Contains(token.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
    }

    [Fact]
    public async Task Discovery_names_the_configured_issuer_and_publishes_the_signing_key()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var discovery = await anonymous.GetFromJsonElementAsync("/.well-known/openid-configuration");
        Assert.Equal(TestTokens.Issuer, discovery.GetProperty("issuer").GetString());
        // Endpoints are given relative to where discovery was asked (here the test server), the issuer is fixed.
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("client_credentials", grants);
        Assert.Contains("password", grants);

        var jwks = await anonymous.GetFromJsonElementAsync("/.well-known/jwks");
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal(
            Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(TestTokens.SigningKey.Rsa.ExportParameters(false).Modulus),
            key.GetProperty("n").GetString());
    }
}

internal static class JsonGet
{
    public static async Task<System.Text.Json.JsonElement> GetFromJsonElementAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }
}
