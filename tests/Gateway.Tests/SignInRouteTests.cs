using System.Net;
using System.Net.Http.Json;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// The console's sign-in through the gateway: the authorization endpoint, the sign-in page's form and the end session
/// endpoint reach identity without a token, and the sign-in page keeps its own policy (the gateway's deny-all one has
/// form-action 'none', which would stop the browser posting the form).
/// </summary>
public sealed class SignInRouteTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("GET", "/connect/authorize")]
    [InlineData("POST", "/connect/authorize")]
    [InlineData("POST", "/connect/signin")]
    [InlineData("GET", "/connect/logout")]
    [InlineData("POST", "/connect/logout")]
    public async Task The_sign_in_endpoints_reach_identity_without_a_token(string method, string path)
    {
        using var client = gateway.CreateAnonymousClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?client_id=practicemesh-console");
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "township.admin" });
        }

        using var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}");
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal((method, path), (echoed!.Method, echoed.Path));
        Assert.Null(echoed.Authorization);
    }

    [Fact]
    public async Task The_sign_in_page_keeps_its_own_content_security_policy_and_the_other_headers()
    {
        using var client = gateway.CreateAnonymousClient();

        using var page = await client.GetAsync("/connect/authorize?client_id=practicemesh-console");
        using var token = await client.PostAsync("/connect/token", new FormUrlEncodedContent([]));

        Assert.Equal([EchoBackend.SignInPagePolicy], page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["DENY"], page.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["nosniff"], page.Headers.GetValues("X-Content-Type-Options"));
        // Answers that bring no policy still get the deny-all one.
        Assert.Contains("form-action 'none'", token.Headers.GetValues("Content-Security-Policy").Single());
    }
}
