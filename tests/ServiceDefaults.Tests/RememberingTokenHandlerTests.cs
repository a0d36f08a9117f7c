using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>Remembering valid tokens must never accept what validating them afresh would refuse.</summary>
public sealed class RememberingTokenHandlerTests : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RememberingTokenHandler _handler = new() { MapInboundClaims = false };

    public void Dispose() => _rsa.Dispose();

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var expires = DateTime.UtcNow.AddSeconds(2);
        var token = Token(expires);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);

        // Until the clock has passed the token's expiry (whole seconds in a JWT).
        await Task.Delay(expires.AddSeconds(1) - DateTime.UtcNow);
        var late = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
    }

    [Fact]
    public async Task Each_call_gets_its_own_copy_of_the_identity()
    {
        var token = Token(DateTime.UtcNow.AddMinutes(5));
        await _handler.ValidateTokenAsync(token, Parameters());
        var remembered = await _handler.ValidateTokenAsync(token, Parameters());
        remembered.ClaimsIdentity.AddClaim(new Claim("role", "county_admin"));

        var next = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.True(next.IsValid);
        Assert.Equal("station_admin", Assert.Single(next.ClaimsIdentity.FindAll("role")).Value);
        Assert.Equal("321324104201", next.ClaimsIdentity.FindFirst("division")?.Value);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_after_a_genuine_one_was_accepted()
    {
        var genuine = Token(DateTime.UtcNow.AddMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(genuine, Parameters())).IsValid);
        using var other = RSA.Create(2048);

        var forged = await _handler.ValidateTokenAsync(Token(DateTime.UtcNow.AddMinutes(5), other), Parameters());

        Assert.False(forged.IsValid);
    }

    private string Token(DateTime expires, RSA? key = null) => new RememberingTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer.test/",
        Audience = PracticeMeshClaims.Audience,
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires,
        Subject = new ClaimsIdentity([new Claim("sub", "station.admin"), new Claim("role", "station_admin"), new Claim("division", "321324104201")]),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _rsa), SecurityAlgorithms.RsaSha256),
    });

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "https://issuer.test/",
        ValidAudience = PracticeMeshClaims.Audience,
        IssuerSigningKey = new RsaSecurityKey(_rsa.ExportParameters(false)),
        ClockSkew = TimeSpan.Zero,
    };
}
