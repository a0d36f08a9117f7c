using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PracticeMesh.ServiceDefaults.Security;

/// <summary>
/// A JWT handler that remembers the tokens it has found valid, so a client's next calls with the same token skip the
/// signature check (an RSA verification and JSON parsing: about 40 µs of CPU, the larger part of a trivial call's
/// cost). A token is remembered until the earlier of its expiry and <see cref="Horizon"/>, with the exact claims it
/// carried; a token that fails is never remembered. The price: a signing key the issuer withdraws keeps its tokens
/// accepted here for up to <see cref="Horizon"/> more.
/// </summary>
public sealed class RememberingTokenHandler : JsonWebTokenHandler
{
    public static readonly TimeSpan Horizon = TimeSpan.FromMinutes(1);

    // Bounded, so a flood of distinct valid tokens cannot grow memory without end.
    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = DateTimeOffset.UtcNow;
        if (_valid.TryGetValue(token, out Remembered? remembered) && now < remembered!.Until)
        {
            // Each request gets its own copy of the identity: one request's changes never reach another's.
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = remembered.Identity.Clone(),
                SecurityToken = remembered.SecurityToken,
                Issuer = remembered.Issuer,
                TokenType = remembered.TokenType,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && jwt.ValidTo > now.UtcDateTime)
        {
            var until = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) < now + Horizon ? new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) : now + Horizon;
            _valid.Set(token, new Remembered(result.ClaimsIdentity.Clone(), jwt, result.Issuer, result.TokenType, until),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Horizon });
        }
        return result;
    }

    private sealed record Remembered(System.Security.Claims.ClaimsIdentity Identity, JsonWebToken SecurityToken, string Issuer, string TokenType, DateTimeOffset Until);
}
