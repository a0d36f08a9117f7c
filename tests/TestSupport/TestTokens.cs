using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.TestSupport;

/// <summary>
/// Signed access tokens for service tests, shaped like the identity service's: the service under test validates
/// them for real (signature, issuer, audience, lifetime) against this issuer's key.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.test.practicemesh/";

    public static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    /// <summary>A key nobody trusts, for forged tokens.</summary>
    public static readonly RsaSecurityKey ForgeryKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    public static string Create(
        string role,
        string division,
        IEnumerable<string>? scopes = null,
        string? subject = null,
        TimeSpan? lifetime = null,
        string audience = PracticeMeshClaims.Audience,
        SecurityKey? key = null,
        string issuer = Issuer,
        DateTimeOffset? now = null,
        Guid? volunteerId = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new List<Claim>
        {
            new(PracticeMeshClaims.Subject, subject ?? Guid.NewGuid().ToString()),
            new(PracticeMeshClaims.Name, $"test {role}"),
            new(PracticeMeshClaims.Role, role),
            new(PracticeMeshClaims.Division, division),
            new(PracticeMeshClaims.Scope, string.Join(' ', scopes ?? ApiScopes.ForRole(role))),
        };
        if (volunteerId is { } linked)
        {
            // The login is this volunteer (as identity issues it once the account is linked).
            claims.Add(new Claim(PracticeMeshClaims.VolunteerId, linked.ToString()));
        }
        var expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = lifetime < TimeSpan.Zero ? expires.AddMinutes(-5) : issuedAt,
            NotBefore = lifetime < TimeSpan.Zero ? expires.AddMinutes(-5) : issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>
    /// Makes a host validate tokens from this test issuer for real (signature, issuer, audience and lifetime) and
    /// never fetch metadata from a configured <c>Auth:Issuer</c>.
    /// </summary>
    public static void TrustTestIssuer(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Authority = null;
            jwt.Configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            jwt.Configuration.SigningKeys.Add(SigningKey);
            jwt.TokenValidationParameters.ValidIssuer = Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = SigningKey;
            jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(jwt.Configuration);
        });

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
