using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// Distributed mode with the web console: identity, a service and the console each in their own process, all behind the
/// gateway, on the real servers. Only what the console needs runs, so the platform starts quickly beside the others.
/// </summary>
public sealed class ConsolePlatform : IAsyncLifetime
{
    public ProcessPlatform Platform { get; } = new("pm_console", ["stations", "identity"]) { WithConsole = true };

    public Task InitializeAsync() => Platform.StartAsync();

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>
/// The console through the gateway as a browser uses it, over HTTP: a stranger at / is sent to identity's authorization
/// endpoint at the gateway's address with the console's client id and a redirect URI under that address; after signing in
/// on identity's page the code comes back to the console through the gateway, and the console's page shows the person.
/// </summary>
public sealed partial class ConsoleThroughGatewayTests(ConsolePlatform console) : IClassFixture<ConsolePlatform>
{
    [Fact]
    public async Task A_township_admin_signs_in_at_the_gateways_address_and_the_console_shows_their_name()
    {
        var gateway = console.Platform.Gateway.Address;
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };

        // A stranger at / is sent to sign in: the console's own step, then identity's authorization endpoint.
        var authorize = await FollowUntilAsync(browser, new Uri(gateway, "/"), location => location.AbsolutePath == "/connect/authorize");
        Assert.Equal(gateway.GetLeftPart(UriPartial.Authority), authorize.GetLeftPart(UriPartial.Authority));
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("practicemesh-console", query["client_id"].ToString());
        Assert.Equal(new Uri(gateway, "signin-oidc").ToString(), query["redirect_uri"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());

        // Identity's page, through the gateway; the password goes to identity, never to the console.
        using var page = await browser.GetAsync(authorize);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {authorize} answered {(int)page.StatusCode}: {html}\n{console.Platform.Logs}");
        using var posted = await browser.PostAsync(new Uri(gateway, "connect/signin"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
            ["username"] = "township.admin",
            ["password"] = PlatformTokens.DemoPassword,
        }));
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"POST /connect/signin answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");

        // The code goes to the console's redirect URI at the gateway's address; the console redeems it and sends the
        // browser back to the page it asked for.
        var home = await FollowUntilAsync(browser, new Uri(new Uri(gateway, "connect/signin"), posted.Headers.Location!),
            location => location.AbsolutePath == "/" && !location.Query.Contains("code=", StringComparison.Ordinal));
        Assert.Equal(gateway.GetLeftPart(UriPartial.Authority), home.GetLeftPart(UriPartial.Authority));

        using var dashboard = await browser.GetAsync(home);
        var body = WebUtility.HtmlDecode(await dashboard.Content.ReadAsStringAsync());
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, $"GET / answered {(int)dashboard.StatusCode}: {body}\n{console.Platform.Logs}");
        Assert.Contains("青阳镇管理员", body);
        // The console's own policy, not the gateway's deny-all one (which would stop its scripts).
        Assert.Contains("script-src 'self'", dashboard.Headers.GetValues("Content-Security-Policy").Single());
        using var script = await browser.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    /// <summary>Follows redirects one at a time (cookies kept) until one points where <paramref name="arrived"/> says.</summary>
    private async Task<Uri> FollowUntilAsync(HttpClient browser, Uri start, Func<Uri, bool> arrived)
    {
        var current = start;
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await browser.GetAsync(current);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
                $"GET {current} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{console.Platform.Logs}");
            current = new Uri(current, response.Headers.Location!);
            if (arrived(current))
            {
                return current;
            }
        }
        throw new InvalidOperationException($"Still redirected after 10 hops, at {current}.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]*)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
