using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// The console's sign-in (authorization code with PKCE): <c>/connect/authorize</c> (OpenIddict has checked the client,
/// its redirect URI and the code challenge), the sign-in page's form at <c>/connect/signin</c>, and
/// <c>/connect/logout</c>. Who signed in is remembered by a cookie on <c>/connect</c> only (the session), so a console
/// that needs a new code gets one without the password; the tokens themselves are made as for the password grant.
/// </summary>
public static class SignInEndpoints
{
    /// <summary>The sign-in session's cookie scheme: the person's id, for <see cref="ConsoleClientOptions.SessionLifetime"/>.</summary>
    public const string SessionScheme = "PracticeMesh.SignInSession";

    public const string WrongCredentials = "用户名或密码不正确，请重新输入。";
    public const string Deactivated = "该账号已停用，无法登录。如有疑问，请联系所在镇（街道）实践所管理员。";
    public const string Expired = "页面已过期，请重新输入用户名和密码后登录。";

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        // The antiforgery token is checked here rather than by the middleware, so a stale page gets the form again.
        endpoints.MapPost("/connect/signin", SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)LogoutAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IdentityDbContext db, IAntiforgery antiforgery, IdentityOptions options,
        CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing: is /connect/authorize its authorization endpoint?");

        var person = request.HasPromptValue(PromptValues.Login) ? null : await SessionPersonAsync(http, db, cancellationToken);
        if (person is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return TokenEndpoint.Refuse(Errors.LoginRequired, "The person is not signed in.");
            }
            return SignInPage.Form(http, antiforgery, options.Console.EffectiveRedirectUris, ReturnUrl(request), request.LoginHint, error: null);
        }
        var scopes = request.GetScopes();
        return await TokenEndpoint.IssueForPersonAsync(db, person, scopes, scopes.Contains(Scopes.OfflineAccess), cancellationToken);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IdentityDbContext db, IPasswordHasher<Person> hasher, IAntiforgery antiforgery,
        IdentityOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints));
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form[SignInPage.ReturnUrlField].ToString();
        if (!IsAuthorizationRequest(returnUrl))
        {
            return SignInPage.Message(http, "无法登录", "登录请求不完整。请回到控制台，重新点击“登录”。", StatusCodes.Status400BadRequest);
        }
        var userName = form[SignInPage.UserNameField].ToString();
        var redirects = options.Console.EffectiveRedirectUris;
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return SignInPage.Form(http, antiforgery, redirects, returnUrl, userName, Expired, StatusCodes.Status400BadRequest);
        }
        var person = await TokenEndpoint.CheckPasswordAsync(db, hasher, userName, form[SignInPage.PasswordField], cancellationToken);
        if (person is null)
        {
            logger.LogInformation("A sign-in at the sign-in page failed: wrong user name or password");
            return SignInPage.Form(http, antiforgery, redirects, returnUrl, userName, WrongCredentials);
        }
        if (!person.Active)
        {
            logger.LogInformation("Person {PersonId}, deactivated, was refused at the sign-in page", person.Id);
            return SignInPage.Form(http, antiforgery, redirects, returnUrl, userName, Deactivated);
        }

        var session = new ClaimsIdentity(SessionScheme, Claims.Name, Claims.Role);
        session.AddClaim(new Claim(Claims.Subject, person.Id.ToString()));
        session.AddClaim(new Claim(Claims.Name, person.DisplayName));
        var now = time.GetUtcNow();
        await http.SignInAsync(SessionScheme, new ClaimsPrincipal(session),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.Console.SessionLifetime, IsPersistent = false });
        // Back to the authorization endpoint (relative, so it stays on whichever host the page was served from), which
        // now finds the session and sends the code to the console.
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(SessionScheme);
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing: is /connect/logout its end session endpoint?");
        if (string.IsNullOrEmpty(request.PostLogoutRedirectUri))
        {
            return SignInPage.Message(http, "已退出登录", "您已退出登录。可以关闭此页面。", StatusCodes.Status200OK);
        }
        // OpenIddict has checked the address is one the console registered, and sends the browser there.
        return Results.SignOut(properties: null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The active person the session cookie names, or null (no session, expired, or the person was deactivated since).</summary>
    private static async Task<Person?> SessionPersonAsync(HttpContext http, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var session = await http.AuthenticateAsync(SessionScheme);
        if (!session.Succeeded || !Guid.TryParse(session.Principal.FindFirst(Claims.Subject)?.Value, out var id))
        {
            return null;
        }
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return person is { Active: true } ? person : null;
    }

    /// <summary>
    /// The authorization request again, relative to <c>/connect/signin</c>, for after the form; without <c>prompt</c>,
    /// which has been honoured by showing the form (else prompt=login would show it for ever).
    /// </summary>
    private static string ReturnUrl(OpenIddictRequest request)
    {
        var query = new List<KeyValuePair<string, StringValues>>();
        foreach (var (name, value) in request.GetParameters())
        {
            if (name != Parameters.Prompt && (string?)value is { } text)
            {
                query.Add(new(name, text));
            }
        }
        return QueryHelpers.AddQueryString("authorize", query);
    }

    /// <summary>Only back to the authorization endpoint, relatively: the form cannot be made to redirect anywhere else.</summary>
    private static bool IsAuthorizationRequest(string returnUrl) =>
        returnUrl.StartsWith("authorize?", StringComparison.Ordinal) && returnUrl.Length < 8192 && !returnUrl.Any(char.IsControl);
}
