using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>
/// The identity service under test. It signs with the test issuer's key (given as the production-style PEM setting)
/// and issues as the test issuer, so the tokens it hands out are accepted by its own protected endpoints exactly as
/// TestTokens' are, and the demo accounts are seeded.
/// </summary>
public class IdentityFactory : ServiceFactory<IdentityModule>
{
    public static readonly string SigningPem = TestTokens.SigningKey.Rsa.ExportRSAPrivateKeyPem();
    public static readonly string EncryptionPem = RSA.Create(2048).ExportRSAPrivateKeyPem();

    public IdentityFactory()
    {
        // OpenIddict stamps tokens with the injected clock while bearer validation reads the wall clock: run the
        // test clock from now so the two agree.
        Clock.SetUtcNow(DateTimeOffset.UtcNow);
    }

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:identity"] = "",
        ["Auth:Issuer"] = TestTokens.Issuer,
        ["Auth:MetadataAddress"] = "",
        ["Identity:AllowHttp"] = "true",
        ["Identity:UseDevelopmentKeys"] = "false",
        ["Identity:SigningKey"] = SigningPem,
        ["Identity:EncryptionKey"] = EncryptionPem,
        ["Identity:SeedDemo"] = "true",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
            // With Auth:Issuer set, the bearer handler would also try to fetch the (unreachable) test issuer's
            // metadata; the test configuration is all it needs.
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
                jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(jwt.Configuration!)));
    }
}

/// <summary>Token requests and what came back.</summary>
public static class TokenClient
{
    public sealed record TokenAnswer(HttpStatusCode Status, JsonElement Body)
    {
        public string AccessToken => Body.GetProperty("access_token").GetString()!;
        public JsonWebToken Jwt => new(AccessToken);
        public string? Error => Body.TryGetProperty("error", out var e) ? e.GetString() : null;
        public IReadOnlyList<string> Scopes => Jwt.GetPayloadValue<string>("scope").Split(' ');
    }

    public static async Task<TokenAnswer> RequestTokenAsync(this HttpClient client, params (string Key, string Value)[] form)
    {
        using var response = await client.PostAsync("/connect/token",
            new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"The token endpoint answered {(int)response.StatusCode}: {text}");
        return new TokenAnswer(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<TokenAnswer> PasswordAsync(this HttpClient client, string userName, string password, string? scope = null) =>
        client.RequestTokenAsync([("grant_type", "password"), ("username", userName), ("password", password), .. Scope(scope)]);

    public static Task<TokenAnswer> ClientCredentialsAsync(this HttpClient client, string clientId, string secret, string? scope = null) =>
        client.RequestTokenAsync([("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), .. Scope(scope)]);

    private static (string, string)[] Scope(string? scope) => scope is null ? [] : [("scope", scope)];

    public static HttpClient WithBearer(this HttpClient client, TokenAnswer token)
    {
        Assert.Equal(HttpStatusCode.OK, token.Status);
        return client.WithToken(token.AccessToken);
    }
}
