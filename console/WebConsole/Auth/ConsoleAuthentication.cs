using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.WebConsole.Auth;

/// <summary>
/// Signing in to the console: OpenID Connect authorization code with PKCE against identity (the person types their
/// password into identity's page, never the console's), then a cookie of the console's own holding the person's claims
/// and a session id; the tokens stay on the server (<see cref="ConsoleTokenStore"/>).
/// </summary>
public static class ConsoleAuthentication
{
    public const string CookieScheme = "console";
    public const string OidcScheme = "console-oidc";

    public static void AddConsoleAuthentication(this IServiceCollection services, ConsoleOptions options, TimeProvider? time = null)
    {
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthorizeAttribute.PolicyName, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser());
        services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = ".practicemesh.console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = options.SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.LoginPath = ConsoleRoutes.SignIn;
                cookie.LogoutPath = ConsoleRoutes.SignOut;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    // A cookie whose tokens are gone (the session ended, or this console's cache was emptied) is no
                    // sign-in at all: the person is asked to sign in again instead of seeing pages that cannot load.
                    var sessionId = context.Principal?.FindFirstValue(ConsoleClaims.SessionId);
                    var store = context.HttpContext.RequestServices.GetRequiredService<ConsoleTokenStore>();
                    if (sessionId is null || await store.GetAsync(sessionId, context.HttpContext.RequestAborted) is null)
                    {
                        context.RejectPrincipal();
                    }
                };
            })
            .AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = options.Authority;
                if (!string.IsNullOrWhiteSpace(options.MetadataAddress))
                {
                    oidc.MetadataAddress = options.MetadataAddress;
                }
                oidc.RequireHttpsMetadata = options.RequireHttpsMetadata;
                oidc.ClientId = ConsoleOptions.ClientId;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;
                // The code comes back on a plain redirect (GET): identity's page runs no script to post a form, and the
                // handler's correlation and nonce cookies (Lax, so they also work over plain HTTP on a township's LAN)
                // ride along on that top-level navigation.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "offline_access" })
                {
                    oidc.Scope.Add(scope);
                }
                oidc.CallbackPath = "/signin-oidc";
                oidc.SignedOutCallbackPath = "/signout-callback-oidc";
                oidc.SignedOutRedirectUri = "/";
                // The identity token's own names (name, role, division), as every service reads the access token's.
                oidc.MapInboundClaims = false;
                oidc.TokenValidationParameters.NameClaimType = PracticeMeshClaims.Name;
                oidc.TokenValidationParameters.RoleClaimType = PracticeMeshClaims.Role;
                // Tokens are kept by the store, not in the cookie (which would carry them to the browser and back).
                oidc.SaveTokens = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.Events.OnTokenValidated = async context =>
                {
                    var response = context.TokenEndpointResponse
                        ?? throw new InvalidOperationException("The code was redeemed without a token response.");
                    var now = (time ?? TimeProvider.System).GetUtcNow();
                    var sessionId = Guid.NewGuid().ToString("N");
                    var expiresIn = int.TryParse(response.ExpiresIn, out var seconds) ? seconds : 300;
                    var store = context.HttpContext.RequestServices.GetRequiredService<ConsoleTokenStore>();
                    await store.SetAsync(sessionId,
                        new ConsoleTokenSet(response.AccessToken, now.AddSeconds(expiresIn), response.RefreshToken, now + options.SessionLifetime),
                        context.HttpContext.RequestAborted);
                    ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(ConsoleClaims.SessionId, sessionId));
                };
            });
    }

    /// <summary>
    /// Reads the console's cookie for the console's own requests (pages and the interactive connection); the API paths
    /// a host serves beside it stay bearer-only, so a cookie never authorizes an API call (no cross-site request can
    /// act with it).
    /// </summary>
    public static void UseConsoleSignIn(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!ConsoleRoutes.IsApi(context.Request.Path) && context.User.Identity?.IsAuthenticated != true)
            {
                var result = await context.AuthenticateAsync(CookieScheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                }
            }
            await next(context);
        });

    /// <summary>/account/signin?returnUrl=… and POST /account/signout.</summary>
    public static void MapConsoleAccount(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ConsoleRoutes.SignIn, (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [OidcScheme]))
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(ConsoleRoutes.SignOut, async (HttpContext context) =>
        {
            if (context.User.FindFirstValue(ConsoleClaims.SessionId) is { } sessionId)
            {
                await context.RequestServices.GetRequiredService<ConsoleTokenStore>().RemoveAsync(sessionId, context.RequestAborted);
            }
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieScheme, OidcScheme]);
        }).ExcludeFromDescription();
    }

    /// <summary>Only a path of this site: a sign-in link cannot send the person on to another site.</summary>
    internal static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
