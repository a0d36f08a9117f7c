using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PracticeMesh.ServiceDefaults.Security;

/// <summary>Where tokens come from. Any OpenID Connect issuer will do; by default it is PracticeMesh's identity service.</summary>
public sealed class AuthOptions
{
    /// <summary>The token issuer (<c>iss</c>), e.g. https://practicemesh.example.gov.cn/.</summary>
    public string? Issuer { get; set; }
    /// <summary>Where to read the issuer's metadata and keys when that is not under <see cref="Issuer"/> (inside a cluster).</summary>
    public string? MetadataAddress { get; set; }
    public string Audience { get; set; } = PracticeMeshClaims.Audience;
    /// <summary>Only loopback and test set-ups turn this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>
    /// How often each module reads its revoked subjects into the process's set (<see cref="AccessRevocations"/>): the
    /// most a replica that did not take an <c>AccessRevoked</c> itself lags behind.
    /// </summary>
    public TimeSpan RevocationRefresh { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How far back a revocation matters: longer than any access token lives (identity issues them for an hour), since a
    /// token issued before an older not-before has expired anyway.
    /// </summary>
    public TimeSpan RevocationWindow { get; set; } = TimeSpan.FromDays(1);
}

public static class SecurityExtensions
{
    /// <summary>
    /// Bearer tokens (JWT) from the configured issuer, one authorization policy per API scope, and <see cref="Caller"/>.
    /// </summary>
    public static void AddPracticeMeshAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddSingleton(options);
        var revocations = new AccessRevocations();
        builder.Services.AddSingleton(revocations);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Caller>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            if (!string.IsNullOrWhiteSpace(options.Issuer))
            {
                jwt.Authority = options.Issuer;
            }
            if (!string.IsNullOrWhiteSpace(options.MetadataAddress))
            {
                jwt.MetadataAddress = options.MetadataAddress;
            }
            jwt.Audience = options.Audience;
            jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            // Keep the token's own claim names (sub, role, scope, division) rather than the legacy SOAP ones.
            jwt.MapInboundClaims = false;
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new RememberingTokenHandler { MapInboundClaims = false });
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = options.Audience,
                NameClaimType = PracticeMeshClaims.Name,
                RoleClaimType = PracticeMeshClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            jwt.Events = new JwtBearerEvents
            {
                // Also for a token the handler remembers: the events run after every validation. An in-memory lookup,
                // no database call; refused like any other bad token (401).
                OnTokenValidated = context =>
                {
                    // Almost always nobody is revoked: then the token's claims are not even read.
                    if (revocations.Count > 0 && context.SecurityToken is JsonWebToken token && revocations.Refuses(token.Subject, token.IssuedAt))
                    {
                        context.Fail("The token was issued before its subject's access changed: sign in or refresh again.");
                    }
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var scope in ApiScopes.All)
            {
                authorization.AddPolicy(scope, policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => Caller.HasScope(context.User, scope)));
            }
        });
    }
}
