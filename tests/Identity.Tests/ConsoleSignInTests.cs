using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>
/// The web console's sign-in through HTTP as a browser does it: the authorization request, the sign-in page's form,
/// the redirect with a code, and the code exchanged with its PKCE verifier; refresh and sign-out.
/// </summary>
public sealed class ConsoleSignInTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    public const string RedirectUri = "http://localhost:5000/signin-oidc";

    [Fact]
    public async Task A_person_signs_in_at_the_sign_in_page_and_the_console_gets_tokens_with_their_own_claims()
    {
        using var browser = Browser(factory);
        var pkce = Pkce.New();
        var page = await browser.OpenAuthorizationAsync(pkce);

        // The page: Chinese, labelled, protected against forged posts, allowed nothing but its own style.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<html lang=\"zh-CN\">", page.Html);
        Assert.Contains("<label for=\"username\">用户名</label>", page.Html);
        Assert.Contains("<label for=\"password\">密码</label>", page.Html);
        Assert.Contains(">登录</button>", page.Html);
        Assert.False(string.IsNullOrEmpty(page.AntiforgeryToken));
        Assert.StartsWith("default-src 'none'", page.ContentSecurityPolicy);

        var code = await browser.SignInAsync(page, "township.admin", DemoAccounts.Password);
        var token = await browser.ExchangeAsync(code, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, token.Status);

        // The same person, role, division and scopes as their password sign-in, with an identity token naming them.
        using var anonymous = factory.CreateAnonymousClient();
        var password = await anonymous.PasswordAsync("township.admin", DemoAccounts.Password);
        var jwt = token.Jwt;
        Assert.Equal(password.Jwt.Subject, jwt.Subject);
        foreach (var claim in new[] { PracticeMeshClaims.Name, PracticeMeshClaims.Role, PracticeMeshClaims.Division })
        {
            Assert.Equal(password.Jwt.GetClaim(claim).Value, jwt.GetClaim(claim).Value);
        }
        Assert.Equal("321324104", jwt.GetClaim(PracticeMeshClaims.Division).Value);
        Assert.Equal(ApiScopes.ForRole(PracticeMeshRoles.TownshipAdmin).Order(),
            token.Scopes.Except(["openid", "profile", "offline_access"]).Order());
        Assert.InRange(token.Body.GetProperty("expires_in").GetInt32(), 3500, 3600);
        var identity = new JsonWebToken(token.Body.GetProperty("id_token").GetString()!);
        Assert.Equal(jwt.Subject, identity.Subject);
        Assert.Equal(Pkce.Nonce, identity.GetClaim("nonce").Value);
        Assert.Equal("青阳镇管理员", identity.GetClaim(PracticeMeshClaims.Name).Value);

        // The token is the person's own, not the console's: the gateway's rate limit and Idempotency-Key count per
        // client_id, else per person, so a console token must not name the console as its client.
        Assert.False(jwt.TryGetClaim(PracticeMeshClaims.ClientId, out var clientId), $"client_id {clientId?.Value}");
        using var client = factory.CreateAnonymousClient().WithBearer(token);
        await client.GetAsync("/api/v1/identity/people", HttpStatusCode.OK);

        // Refresh keeps them signed in, with the same claims.
        var refreshed = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("client_id", ConsoleClient.ClientId),
            ("refresh_token", token.Body.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(jwt.Subject, refreshed.Jwt.Subject);
        Assert.Equal(token.Scopes.Order(), refreshed.Scopes.Order());
        Assert.True(refreshed.Body.TryGetProperty("refresh_token", out _));

        // The same code cannot be used twice.
        Assert.Equal("invalid_grant", (await browser.ExchangeAsync(code, pkce.Verifier)).Error);
    }

    [Fact]
    public async Task A_linked_volunteer_signed_in_at_the_console_acts_as_that_volunteer()
    {
        using var admin = factory.CreateClient();
        var userName = $"user.{Guid.NewGuid():N}"[..16];
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "李四", password = "correct-horse-1", role = PracticeMeshRoles.Resident, division = "321324104202" },
            HttpStatusCode.Created);
        var volunteerId = Guid.CreateVersion7();
        await factory.DeliverAsync([new VolunteerApproved(Guid.CreateVersion7(), factory.Clock.GetUtcNow(), DivisionCode.Parse("321324104202"),
            volunteerId, "李四", created.GetProperty("id").GetGuid())]);

        using var browser = Browser(factory);
        var pkce = Pkce.New();
        var token = await browser.ExchangeAsync(
            await browser.SignInAsync(await browser.OpenAuthorizationAsync(pkce), userName, "correct-horse-1"), pkce.Verifier);

        Assert.Equal(volunteerId.ToString(), token.Jwt.GetClaim(PracticeMeshClaims.VolunteerId).Value);
        Assert.Equal(PracticeMeshRoles.Resident, token.Jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Contains(ApiScopes.ActivitiesAttend, token.Scopes);
    }

    [Fact]
    public async Task A_code_is_refused_with_a_wrong_verifier_or_none()
    {
        using var browser = Browser(factory);
        var pkce = Pkce.New();
        var code = await browser.SignInAsync(await browser.OpenAuthorizationAsync(pkce), "station.admin", DemoAccounts.Password);

        Assert.Equal("invalid_grant", (await browser.ExchangeAsync(code, Pkce.New().Verifier)).Error);

        // Signed in already: the next request gets its code at once.
        var second = await browser.CodeFromSessionAsync(Pkce.New());
        var without = await browser.RequestTokenAsync(("grant_type", "authorization_code"), ("client_id", ConsoleClient.ClientId),
            ("code", second), ("redirect_uri", RedirectUri));
        Assert.Equal(HttpStatusCode.BadRequest, without.Status);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)]
    public async Task An_authorization_request_without_an_S256_challenge_is_refused(string? method)
    {
        using var browser = Browser(factory);
        var pkce = Pkce.New();
        var query = Pkce.Query(pkce, RedirectUri);
        if (method is null)
        {
            query.Remove("code_challenge");
            query.Remove("code_challenge_method");
        }
        else
        {
            query["code_challenge"] = pkce.Verifier;
            query["code_challenge_method"] = method;
        }
        using var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", query));

        // Refused before any sign-in: no code, no sign-in page, no redirect.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("<form", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://localhost:5000/elsewhere")]
    [InlineData("https://attacker.example.com/signin-oidc")]
    public async Task An_unknown_redirect_uri_is_refused_without_a_redirect(string redirectUri)
    {
        using var browser = Browser(factory);
        using var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", Pkce.Query(Pkce.New(), redirectUri)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("<form", body);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_an_error_and_no_code()
    {
        using var browser = Browser(factory);
        var page = await browser.OpenAuthorizationAsync(Pkce.New());

        var again = await browser.PostSignInAsync(page, "township.admin", "not-the-password");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Null(again.Location);
        Assert.Contains(SignInEndpoints.WrongCredentials, again.Html);
        Assert.Contains("role=\"alert\"", again.Html);
        // The user name stays filled in; the password does not.
        Assert.Contains("value=\"township.admin\"", again.Html);

        var unknown = await browser.PostSignInAsync(again, "nobody.here", DemoAccounts.Password);
        Assert.Contains(SignInEndpoints.WrongCredentials, unknown.Html);
        Assert.Null(unknown.Location);

        // The form it shows again works.
        var code = await browser.SignInAsync(unknown, "township.admin", DemoAccounts.Password);
        Assert.False(string.IsNullOrEmpty(code));
    }

    [Fact]
    public async Task A_deactivated_person_is_refused_at_the_sign_in_page_and_loses_the_session()
    {
        using var admin = factory.CreateClient();
        var userName = $"user.{Guid.NewGuid():N}"[..16];
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "李娜", password = "correct-horse-1", role = PracticeMeshRoles.StationAdmin, division = "321324104201" },
            HttpStatusCode.Created);
        using var browser = Browser(factory);
        var pkce = Pkce.New();
        await browser.SignInAsync(await browser.OpenAuthorizationAsync(pkce), userName, "correct-horse-1");

        await admin.PostAsync($"/api/v1/identity/people/{created.GetProperty("id").GetGuid()}/deactivate", null, HttpStatusCode.OK);

        // The session no longer gives a code: the form comes back, and the right password is refused in plain words.
        var page = await browser.OpenAuthorizationAsync(Pkce.New());
        var refused = await browser.PostSignInAsync(page, userName, "correct-horse-1");
        Assert.Null(refused.Location);
        Assert.Contains(SignInEndpoints.Deactivated, refused.Html);
    }

    [Fact]
    public async Task A_post_without_the_pages_antiforgery_token_or_to_another_address_is_refused()
    {
        using var browser = Browser(factory);
        var page = await browser.OpenAuthorizationAsync(Pkce.New());

        var forged = await browser.PostSignInAsync(page with { AntiforgeryToken = "forged" }, "township.admin", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Null(forged.Location);
        Assert.Contains(SignInEndpoints.Expired, forged.Html);

        // Another browser (no antiforgery cookie) posting this page's token is refused too.
        using var other = Browser(factory);
        var crossSite = await other.PostSignInAsync(page, "township.admin", DemoAccounts.Password);
        Assert.Null(crossSite.Location);

        var elsewhere = await browser.PostSignInAsync(page with { ReturnUrl = "https://attacker.example.com/authorize?x=1" }, "township.admin", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.Status);
        Assert.Null(elsewhere.Location);
    }

    [Fact]
    public async Task Signed_in_the_console_gets_a_new_code_without_the_form_until_the_person_signs_out()
    {
        using var browser = Browser(factory);
        await browser.SignInAsync(await browser.OpenAuthorizationAsync(Pkce.New()), "station.admin", DemoAccounts.Password);

        // Signed in: straight back to the console with a code (no consent screen, no form).
        var pkce = Pkce.New();
        var code = await browser.CodeFromSessionAsync(pkce);
        Assert.Equal(HttpStatusCode.OK, (await browser.ExchangeAsync(code, pkce.Verifier)).Status);

        // prompt=login asks for the password even so; the form's answer then gives the code.
        var login = Pkce.Query(Pkce.New(), RedirectUri);
        login["prompt"] = "login";
        using (var forced = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", login)))
        {
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
            Assert.Contains("<form", await forced.Content.ReadAsStringAsync());
        }

        using (var logout = await browser.GetAsync("/connect/logout?post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:5000/") + "&state=bye"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.StartsWith("http://localhost:5000/", logout.Headers.Location!.ToString());
            Assert.Equal("bye", QueryHelpers.ParseQuery(logout.Headers.Location!.Query)["state"].ToString());
        }

        // Signed out: the form again, and silent sign-in says so.
        var page = await browser.OpenAuthorizationAsync(Pkce.New());
        Assert.Contains("<form", page.Html);
        var silent = Pkce.Query(Pkce.New(), RedirectUri);
        silent["prompt"] = "none";
        using var none = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", silent));
        Assert.Equal("login_required", QueryHelpers.ParseQuery(none.Headers.Location!.Query)["error"].ToString());

        // Without an address to go back to, a page says so; to an address the console did not register, refused.
        using var plain = await browser.GetAsync("/connect/logout");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Contains("已退出登录", await plain.Content.ReadAsStringAsync());
        using var unknown = await browser.GetAsync("/connect/logout?post_logout_redirect_uri=" + Uri.EscapeDataString("https://attacker.example.com/"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Null(unknown.Headers.Location);
    }

    [Fact]
    public async Task Discovery_names_the_authorization_and_end_session_endpoints_and_only_S256()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var discovery = await anonymous.GetFromJsonElementAsync("/.well-known/openid-configuration");

        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.EndsWith("/connect/logout", discovery.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("authorization_code", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.Contains("code", discovery.GetProperty("response_types_supported").EnumerateArray().Select(g => g.GetString()));
    }

    /// <summary>A browser: keeps cookies, does not follow redirects (the console's address is not this server).</summary>
    internal static HttpClient Browser(IdentityFactory factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }
}

/// <summary>A PKCE verifier and its S256 challenge (RFC 7636), and the console's authorization request.</summary>
internal sealed record Pkce(string Verifier, string Challenge)
{
    public const string Nonce = "n-0S6_WzA2Mj";
    public const string State = "af0ifjsldkj";

    public static Pkce New()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static Dictionary<string, string?> Query(Pkce pkce, string redirectUri) => new()
    {
        ["client_id"] = ConsoleClient.ClientId,
        ["response_type"] = "code",
        ["redirect_uri"] = redirectUri,
        ["scope"] = "openid profile offline_access",
        ["state"] = State,
        ["nonce"] = Nonce,
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
    };
}

/// <summary>A page the browser was shown (or the redirect it got instead).</summary>
internal sealed record SignInPageAnswer(HttpStatusCode Status, string Html, Uri? Location, string? ContentSecurityPolicy, string AntiforgeryToken, string ReturnUrl);

internal static partial class BrowserSteps
{
    private static readonly Uri SignInUri = new("http://localhost/connect/signin");

    public static async Task<SignInPageAnswer> OpenAuthorizationAsync(this HttpClient browser, Pkce pkce, string redirectUri = ConsoleSignInTests.RedirectUri)
    {
        using var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", Pkce.Query(pkce, redirectUri)));
        var page = await ReadAsync(response);
        Assert.True(page.Status == HttpStatusCode.OK, $"The authorization endpoint answered {(int)page.Status}: {page.Html}");
        return page;
    }

    public static async Task<SignInPageAnswer> PostSignInAsync(this HttpClient browser, SignInPageAnswer page, string userName, string password)
    {
        using var response = await browser.PostAsync(SignInUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.AntiforgeryToken,
            ["returnUrl"] = page.ReturnUrl,
            ["username"] = userName,
            ["password"] = password,
        }));
        return await ReadAsync(response);
    }

    /// <summary>Posts the form, follows the redirect back to the authorization endpoint, and returns the code it sends to the console.</summary>
    public static async Task<string> SignInAsync(this HttpClient browser, SignInPageAnswer page, string userName, string password)
    {
        var posted = await browser.PostSignInAsync(page, userName, password);
        Assert.True(posted.Location is not null, $"The sign-in form answered {(int)posted.Status} without a redirect: {posted.Html}");
        // Relative to the form's address, as a browser resolves it.
        var authorize = new Uri(SignInUri, posted.Location!);
        Assert.Equal("/connect/authorize", authorize.AbsolutePath);
        return await browser.CodeFromAsync(authorize);
    }

    /// <summary>The code a signed-in browser gets for a new authorization request, with no form.</summary>
    public static Task<string> CodeFromSessionAsync(this HttpClient browser, Pkce pkce) =>
        browser.CodeFromAsync(new Uri(SignInUri, QueryHelpers.AddQueryString("/connect/authorize", Pkce.Query(pkce, ConsoleSignInTests.RedirectUri))));

    private static async Task<string> CodeFromAsync(this HttpClient browser, Uri authorize)
    {
        using var response = await browser.GetAsync(authorize);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"The authorization endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var back = response.Headers.Location!;
        Assert.StartsWith(ConsoleSignInTests.RedirectUri + "?", back.ToString());
        var query = QueryHelpers.ParseQuery(back.Query);
        Assert.Equal(Pkce.State, query["state"].ToString());
        var code = query["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code));
        return code;
    }

    public static Task<TokenClient.TokenAnswer> ExchangeAsync(this HttpClient browser, string code, string verifier) =>
        browser.RequestTokenAsync(("grant_type", "authorization_code"), ("client_id", ConsoleClient.ClientId), ("code", code),
            ("redirect_uri", ConsoleSignInTests.RedirectUri), ("code_verifier", verifier));

    private static async Task<SignInPageAnswer> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        var returnUrl = ReturnUrlField().Match(html);
        return new SignInPageAnswer(response.StatusCode, html, response.Headers.Location,
            response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : null,
            token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value) : "",
            returnUrl.Success ? WebUtility.HtmlDecode(returnUrl.Groups[1].Value) : "");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]*)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}

/// <summary>A county's own console address, from configuration, replaces the local defaults.</summary>
public sealed class ConfiguredConsoleFactory : IdentityFactory
{
    public const string Console = "https://console.sihong.example.gov.cn";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Identity:Console:RedirectUris:0"] = Console + "/signin-oidc",
        ["Identity:Console:PostLogoutRedirectUris:0"] = Console + "/",
    };
}

public sealed class ConfiguredConsoleTests(ConfiguredConsoleFactory factory) : IClassFixture<ConfiguredConsoleFactory>
{
    [Fact]
    public async Task The_console_signs_in_at_its_configured_address_and_the_local_defaults_are_refused()
    {
        using var browser = ConsoleSignInTests.Browser(factory);

        var page = await browser.OpenAuthorizationAsync(Pkce.New(), ConfiguredConsoleFactory.Console + "/signin-oidc");
        Assert.Contains("<form", page.Html);
        // The form's answer may lead (through the authorization endpoint) to the console's own host.
        Assert.Contains("form-action 'self' " + ConfiguredConsoleFactory.Console, page.ContentSecurityPolicy);

        using var local = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", Pkce.Query(Pkce.New(), ConsoleSignInTests.RedirectUri)));
        Assert.Equal(HttpStatusCode.BadRequest, local.StatusCode);
        using var logout = await browser.GetAsync("/connect/logout?post_logout_redirect_uri=" + Uri.EscapeDataString(ConfiguredConsoleFactory.Console + "/"));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.StartsWith(ConfiguredConsoleFactory.Console + "/", logout.Headers.Location!.ToString());
    }
}
