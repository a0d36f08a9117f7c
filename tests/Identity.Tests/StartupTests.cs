using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>Where the keys come from: configuration in production, ephemeral keys only when development keys are allowed.</summary>
public sealed class StartupTests
{
    private sealed class WithoutKeys : IdentityFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Identity:SigningKey"] = "",
            ["Identity:EncryptionKey"] = "",
        };
    }

    private sealed class WithSigningKeyOnly : IdentityFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Identity:EncryptionKey"] = "",
        };
    }

    private sealed class WithPublicKeyOnly : IdentityFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Identity:SigningKey"] = TestTokens.SigningKey.Rsa.ExportRSAPublicKeyPem(),
        };
    }

    private sealed class WithDevelopmentKeys : IdentityFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Identity:SigningKey"] = "",
            ["Identity:EncryptionKey"] = "",
            ["Identity:UseDevelopmentKeys"] = "true",
            ["Auth:Issuer"] = "http://localhost:5000/",
        };
    }

    [Fact]
    public async Task Without_keys_or_development_keys_the_service_does_not_start()
    {
        await using var factory = new WithoutKeys();
        var error = Assert.Throws<InvalidOperationException>(() => factory.Server);
        Assert.Contains("Identity:SigningKey", error.Message);
    }

    [Fact]
    public async Task A_key_that_is_not_a_private_key_is_named_at_start()
    {
        await using var factory = new WithPublicKeyOnly();
        var error = Assert.Throws<InvalidOperationException>(() => factory.Server);
        Assert.Contains("Identity:SigningKey is not an RSA private key", error.Message);
    }

    [Fact]
    public async Task A_signing_key_alone_is_enough_refresh_tokens_use_a_key_derived_from_it()
    {
        await using var factory = new WithSigningKeyOnly();
        await factory.InitializeAsync();
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync("volunteer", DemoAccounts.Password, "offline_access");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        var refreshed = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", token.Body.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    [Fact]
    public async Task Development_keys_sign_tokens_that_validate_with_the_published_jwks()
    {
        await using var factory = new WithDevelopmentKeys();
        await factory.InitializeAsync();
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync("county.admin", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, token.Status);

        var jwks = new JsonWebKeySet((await anonymous.GetFromJsonElementAsync("/.well-known/jwks")).ToString());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost:5000/",
            ValidAudience = PracticeMeshClaims.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(PracticeMeshRoles.CountyAdmin, result.Claims[PracticeMeshClaims.Role]);
    }
}
