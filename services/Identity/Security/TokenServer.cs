using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PracticeMesh.Identity.Security;

public static class TokenServerExtensions
{
    /// <summary>
    /// OpenIddict's server (token, discovery and JWKS endpoints) and core (EF Core stores on
    /// <see cref="IdentityDbContext"/>), with partner secrets checked against <c>partner_client_secrets</c>.
    /// </summary>
    public static void AddTokenServer(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>() ?? new IdentityOptions();
        builder.Services.AddSingleton(options);
        var issuer = builder.Configuration["Auth:Issuer"];
        if (string.IsNullOrWhiteSpace(issuer) || !Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            throw new InvalidOperationException(
                "Auth:Issuer must be the absolute public URL of the identity service (e.g. https://practicemesh.example.gov.cn/): " +
                "it is the iss of every token, so tokens validate wherever they were requested.");
        }
        var keys = ServerKeys.From(options);

        builder.Services.AddSingleton<IPasswordHasher<Person>, PasswordHasher<Person>>();
        builder.Services.AddScoped<PartnerRegistry>();
        builder.Services.AddHostedService<TokenPruner>();
        builder.Services.AddTransient<IStartupFilter, ForwardedDiscoveryStartupFilter>();
        builder.Services.AddHostedService<ConsoleClientSeeder>();
        builder.AddSignInSession(options);

        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>();
                // OpenIddict keeps one secret per application; ours checks all of a partner's current secrets.
                core.ReplaceApplicationManager(typeof(PartnerApplicationManager<>));
            })
            .AddServer(server =>
            {
                server.SetIssuer(issuerUri);
                server.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowPasswordFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow().AllowAuthorizationCodeFlow();
                // The console's codes: PKCE always, and only S256 (a plain challenge is the verifier itself, seen by
                // anything that sees the redirect).
                server.RequireProofKeyForCodeExchange();
                server.Configure(o =>
                {
                    o.CodeChallengeMethods.Clear();
                    o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });
                // First-party apps (web, mini programs) sign people in without a client registration of their own.
                server.AcceptAnonymousClients();
                server.AddEventHandler(OmitClientIdForPeople.Descriptor);
                server.RegisterScopes([.. ApiScopes.All, Scopes.OfflineAccess, Scopes.Profile]);
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                server.SetRefreshTokenLifetime(options.RefreshTokenLifetime);
                // Plain signed JWTs: every service validates them with the published JWKS alone.
                server.DisableAccessTokenEncryption();
                if (keys is null)
                {
                    var development = ServerKeys.Development();
                    server.AddSigningCredentials(new SigningCredentials(development.Signing, SecurityAlgorithms.RsaSha256))
                        .AddEncryptionCredentials(new EncryptingCredentials(development.Encryption, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
                }
                else
                {
                    server.AddSigningKey(keys.Value.Signing).AddEncryptionKey(keys.Value.Encryption);
                }
                // Compact JSON: one line, so shell one-liners (curl | sed) can pick out the access token.
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough().SuppressJsonResponseIndentation();
                if (options.AllowHttp)
                {
                    // TLS ends at the ingress; the hop to this service is plain HTTP.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
    }
}

internal static class SignInSessionExtensions
{
    /// <summary>
    /// The sign-in page's session cookie and antiforgery token, both on <c>/connect</c> only (no API request carries
    /// them), and the data-protection keys that seal them kept in the identity database, so every replica reads what
    /// another wrote.
    /// </summary>
    public static void AddSignInSession(this IHostApplicationBuilder builder, IdentityOptions options)
    {
        builder.Services.AddDataProtection().SetApplicationName("PracticeMesh.Identity").PersistKeysToDbContext<IdentityDbContext>();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ".practicemesh.antiforgery";
            antiforgery.Cookie.Path = "/connect";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The page sets its own, stricter, frame policy.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddAuthentication().AddCookie(SignInEndpoints.SessionScheme, cookie =>
        {
            cookie.Cookie.Name = ".practicemesh.signin";
            cookie.Cookie.Path = "/connect";
            cookie.Cookie.HttpOnly = true;
            // Sent on the console's top-level navigation to /connect/authorize, not on cross-site subrequests.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.Console.SessionLifetime;
            cookie.SlidingExpiration = false;
        });
    }
}

/// <summary>The token service's keys from configuration.</summary>
internal static class ServerKeys
{
    private static readonly byte[] EncryptionKeyInfo = "PracticeMesh identity: token encryption key"u8.ToArray();

    /// <summary>The configured keys, or null when development keys are allowed and none are configured.</summary>
    public static (SecurityKey Signing, SecurityKey Encryption)? From(IdentityOptions options)
    {
        var hasSigning = !string.IsNullOrWhiteSpace(options.SigningKey);
        var hasEncryption = !string.IsNullOrWhiteSpace(options.EncryptionKey);
        if (hasSigning)
        {
            var signing = Load(options.SigningKey!, "Identity:SigningKey");
            return (signing, hasEncryption ? Load(options.EncryptionKey!, "Identity:EncryptionKey") : DeriveEncryptionKey(signing));
        }
        if (options.UseDevelopmentKeys && !hasEncryption)
        {
            return null;
        }
        throw new InvalidOperationException(
            "The identity service needs Identity:SigningKey, an RSA private key in PEM (e.g. `openssl genpkey -algorithm RSA " +
            "-pkeyopt rsa_keygen_bits:2048`), and optionally Identity:EncryptionKey, another one. Only development and the " +
            "standalone host may set Identity:UseDevelopmentKeys=true instead, for keys that live as long as the process.");
    }

    private static RsaSecurityKey Load(string pem, string setting)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // Only a private key can sign or decrypt; ExportParameters(true) fails on a public one.
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{setting} is not an RSA private key in PEM.", ex);
        }
        var key = new RsaSecurityKey(rsa);
        // A key id from the key itself: every replica given the same key publishes the same kid.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    /// <summary>
    /// Keys that live as long as the process, as OpenIddict's ephemeral ones. RSA makes its key on first use, which
    /// would be the first request (of any kind: OpenIddict sees them all) on the way to readiness; making both
    /// now, on the thread pool, overlaps that second or so of key generation with the rest of the start-up.
    /// </summary>
    public static (RsaSecurityKey Signing, RsaSecurityKey Encryption) Development()
    {
        var signing = RSA.Create(2048);
        var encryption = RSA.Create(2048);
        _ = Task.Run(() => signing.ExportParameters(includePrivateParameters: false));
        _ = Task.Run(() => encryption.ExportParameters(includePrivateParameters: false));
        return (new RsaSecurityKey(signing), new RsaSecurityKey(encryption));
    }

    /// <summary>
    /// Without an encryption key of its own, a 256-bit key derived (HKDF) from the signing key's private part: every
    /// replica derives the same one, and it encrypts only the server's own tokens (refresh tokens), which it alone reads.
    /// </summary>
    private static SymmetricSecurityKey DeriveEncryptionKey(RsaSecurityKey signing)
    {
        var secret = signing.Rsa.ExportParameters(includePrivateParameters: true).D!;
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, outputLength: 32, salt: [], info: EncryptionKeyInfo);
        return new SymmetricSecurityKey(key) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(key))[..16] };
    }
}
