using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>Builds real gateways (their own appsettings.json) for tests, trusting the test token issuer.</summary>
public static class GatewayHost
{
    public static readonly string[] ServiceClusters = ["stations", "volunteers", "activities", "grid", "assessment"];
    public static readonly string[] AllClusters = [.. ServiceClusters, "identity"];

    /// <summary>Where tests/run-all.sh (deploy/local/start.sh) runs Redis.</summary>
    public const string Redis = "127.0.0.1:6379";

    /// <summary>Every cluster pointed at <paramref name="backend"/>, in-process counters, unless <paramref name="settings"/> say otherwise.</summary>
    public static Dictionary<string, string?> Settings(Uri backend, string? redis = null, string? keyPrefix = null)
    {
        // The same keys an operator sets as ReverseProxy__Clusters__<name>__Destinations__primary__Address.
        var settings = AllClusters.ToDictionary(
            name => $"ReverseProxy:Clusters:{name}:Destinations:primary:Address",
            _ => (string?)backend.ToString());
        settings["ConnectionStrings:redis"] = redis ?? "";
        // A prefix of its own per test run: parallel runs against the same Redis must not share counters.
        settings["Gateway:RedisKeyPrefix"] = keyPrefix ?? NewKeyPrefix();
        // Test keys should not linger a day in the developer's Redis.
        settings["Gateway:Idempotency:Retention"] = "00:10:00";
        return settings;
    }

    public static string NewKeyPrefix() => $"practicemesh-test:{Guid.NewGuid():N}:";

    public static WebApplicationFactory<GatewayMarker> Create(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new WebApplicationFactory<GatewayMarker>().WithWebHostBuilder(web =>
        {
            // UseSetting, not ConfigureAppConfiguration: Program reads some of these (Redis, Gateway) before Build().
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureTestServices(services =>
                // Tokens from the test issuer, validated for real: signature, issuer, audience and lifetime.
                services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
                {
                    jwt.Authority = null;
                    jwt.Configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
                    jwt.Configuration.SigningKeys.Add(TestTokens.SigningKey);
                    jwt.TokenValidationParameters.ValidIssuer = TestTokens.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = TestTokens.SigningKey;
                }));
        });
        // Build the host now so a broken configuration fails here, not in the middle of a test.
        _ = factory.Server;
        return factory;
    }

    /// <summary>A county admin's token (a person: keyed by sub).</summary>
    public static string PersonToken(string? subject = null) =>
        TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", subject: subject ?? Guid.NewGuid().ToString());

    /// <summary>A partner client's token, as the identity service issues it for client credentials.</summary>
    public static string PartnerToken(string clientId, int? rateLimit = null)
    {
        var claims = new List<Claim>
        {
            new(PracticeMeshClaims.Subject, clientId),
            new(PracticeMeshClaims.ClientId, clientId),
            new(PracticeMeshClaims.Role, PracticeMeshRoles.Partner),
            new(PracticeMeshClaims.Division, "321324"),
            new(PracticeMeshClaims.Scope, string.Join(' ', ApiScopes.All)),
        };
        if (rateLimit is not null)
        {
            claims.Add(new Claim("rate_limit", rateLimit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer));
        }
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = PracticeMeshClaims.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(TestTokens.SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
