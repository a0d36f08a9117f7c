using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PracticeMesh.WebConsole.Api;

namespace PracticeMesh.WebConsole.Auth;

/// <summary>
/// The signed-in person's access token for the next API call, refreshed with their refresh token shortly before it
/// expires. One per page render and per interactive session (circuit); the tokens themselves are in
/// <see cref="ConsoleTokenStore"/>. No token, or a refresh identity refuses (the person was deactivated, the session
/// ended), makes <see cref="SignInRequiredException"/>: the page sends the browser to sign in again.
/// </summary>
public sealed class ConsoleTokens(
    AuthenticationStateProvider authentication,
    ConsoleTokenStore store,
    IssuerMetadata issuer,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<ConsoleTokens> logger)
{
    /// <summary>A token closer to its expiry than this is refreshed first: a call made with it could arrive too late.</summary>
    internal static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(2);

    private static readonly SemaphoreSlim RefreshLock = new(1, 1);

    public async Task<string?> SessionIdAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirstValue(ConsoleClaims.SessionId);
    }

    /// <summary>The access token to send now.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var sessionId = await SessionIdAsync() ?? throw new SignInRequiredException();
        var tokens = await store.GetAsync(sessionId, cancellationToken) ?? throw new SignInRequiredException();
        if (tokens.ExpiresAt - time.GetUtcNow() > RefreshAhead)
        {
            return tokens.AccessToken;
        }
        // One refresh at a time in this process: two circuits of one person would otherwise both redeem the same
        // refresh token, and identity ends a chain whose token comes back twice.
        await RefreshLock.WaitAsync(cancellationToken);
        try
        {
            tokens = await store.GetAsync(sessionId, cancellationToken) ?? throw new SignInRequiredException();
            if (tokens.ExpiresAt - time.GetUtcNow() > RefreshAhead)
            {
                return tokens.AccessToken;
            }
            var refreshed = await RefreshAsync(tokens, cancellationToken) ?? throw new SignInRequiredException();
            await store.SetAsync(sessionId, refreshed, cancellationToken);
            return refreshed.AccessToken;
        }
        finally
        {
            RefreshLock.Release();
        }
    }

    private async Task<ConsoleTokenSet?> RefreshAsync(ConsoleTokenSet tokens, CancellationToken cancellationToken)
    {
        if (tokens.RefreshToken is null)
        {
            return null;
        }
        var configuration = await issuer.GetAsync(cancellationToken);
        using var http = httpClients.CreateClient(ConsoleHttpClients.Identity);
        using var response = await http.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ConsoleOptions.ClientId,
            ["refresh_token"] = tokens.RefreshToken,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogInformation("Identity refused to refresh a console session's token ({Status}); the person signs in again.", (int)response.StatusCode);
            return null;
        }
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new InvalidOperationException("Identity answered a refresh with no body.");
        return tokens with { AccessToken = body.AccessToken, ExpiresAt = time.GetUtcNow().AddSeconds(body.ExpiresIn), RefreshToken = body.RefreshToken ?? tokens.RefreshToken };
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);
}

/// <summary>The person must sign in (again) before the console can call the API for them.</summary>
public sealed class SignInRequiredException() : Exception("The console session has no usable token: sign in again.");

/// <summary>Claims the console adds to the person's own (from identity's identity token).</summary>
public static class ConsoleClaims
{
    /// <summary>The id under which <see cref="ConsoleTokenStore"/> keeps this session's tokens.</summary>
    public const string SessionId = "console_session";
}

/// <summary>The issuer's OpenID Connect metadata (the token endpoint), read once and kept by the OIDC handler's manager.</summary>
public sealed class IssuerMetadata(Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions> oidc)
{
    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        var options = oidc.Get(ConsoleAuthentication.OidcScheme);
        return options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
    }
}
