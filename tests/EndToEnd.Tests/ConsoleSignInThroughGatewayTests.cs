using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// The web console's sign-in as a browser does it through the gateway: discovery names the gateway's authorization
/// endpoint, the sign-in page keeps its own policy (its form may post), the form's cookies survive the hop, and the code
/// the console gets is exchanged with its PKCE verifier for the person's token, which the services accept.
/// </summary>
[Collection(EndToEndCollection.Name)]
public partial class ConsoleSignInThroughGatewayTests(DistributedPlatform platform)
{
    // One of the console's default addresses (the gateway's local port): the browser is sent there, not followed.
    private const string RedirectUri = "http://localhost:5100/signin-oidc";

    [Fact]
    public async Task A_township_admin_signs_in_at_the_console_through_the_gateway_and_reads_their_township()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = platform.Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var discovery = JsonDocument.Parse(await browser.GetStringAsync("/.well-known/openid-configuration"));
        var authorizationEndpoint = discovery.RootElement.GetProperty("authorization_endpoint").GetString()!;
        Assert.Equal(new Uri(platform.Gateway.Address, "connect/authorize").ToString(), authorizationEndpoint);
        Assert.Equal(new Uri(platform.Gateway.Address, "connect/logout").ToString(), discovery.RootElement.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], discovery.RootElement.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));

        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        using var page = await browser.GetAsync(QueryHelpers.AddQueryString(authorizationEndpoint, new Dictionary<string, string?>
        {
            ["client_id"] = "practicemesh-console",
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile offline_access",
            ["state"] = "s1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET /connect/authorize answered {(int)page.StatusCode}: {html}");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("form-action 'self'", policy);
        Assert.DoesNotContain("form-action 'none'", policy);

        var signInUri = new Uri(platform.Gateway.Address, "connect/signin");
        using var posted = await browser.PostAsync(signInUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value),
            ["username"] = "township.admin",
            ["password"] = "PracticeMesh-demo-1",
        }));
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, $"POST /connect/signin answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");
        using var authorized = await browser.GetAsync(new Uri(signInUri, posted.Headers.Location!));
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        Assert.StartsWith(RedirectUri + "?", authorized.Headers.Location!.ToString());
        var code = QueryHelpers.ParseQuery(authorized.Headers.Location!.Query)["code"].ToString();

        using var exchanged = await browser.PostAsync(discovery.RootElement.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "practicemesh-console",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var tokenJson = await exchanged.Content.ReadAsStringAsync();
        Assert.True(exchanged.StatusCode == HttpStatusCode.OK, tokenJson);
        var accessToken = JsonDocument.Parse(tokenJson).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal("321324104", new JsonWebToken(accessToken).GetClaim("division").Value);

        // The person's token, through the gateway: their township's stations only.
        using var api = platform.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        using var stations = await api.GetAsync("/api/v1/stations?under=321324");
        Assert.Equal(HttpStatusCode.OK, stations.StatusCode);
        using var listed = JsonDocument.Parse(await stations.Content.ReadAsStringAsync());
        Assert.All(listed.RootElement.EnumerateArray(), s => Assert.StartsWith("321324104", s.GetProperty("code").GetString()));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]*)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
