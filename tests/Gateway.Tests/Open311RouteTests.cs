using System.Net;
using System.Net.Http.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// Open311 through the gateway: its reads and its posts go to the grid service without a bearer token (a partner
/// posts with its API key, which the grid service checks), and the partners' keys stay behind a token.
/// </summary>
public sealed class Open311RouteTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/open311/v2/discovery.json")]
    [InlineData("/open311/v2/services.xml")]
    [InlineData("/open311/v2/requests.json")]
    [InlineData("/open311/v2/tokens/8d3c2f8e-0a51-4a43-b3f4-3c1e1b0c9f11.json")]
    public async Task Open311_reads_reach_the_grid_service_without_a_token(string path)
    {
        using var client = gateway.CreateAnonymousClient();

        var echoed = await client.GetFromJsonAsync<EchoedRequest>(path + "?start_date=2026-03-01");

        Assert.Equal(path, echoed!.Path);
        Assert.Equal("?start_date=2026-03-01", echoed.Query);
        Assert.Null(echoed.Authorization);
    }

    [Fact]
    public async Task An_open311_post_reaches_the_grid_service_without_a_token_even_with_a_stale_one()
    {
        using var anonymous = gateway.CreateAnonymousClient();
        using var stale = gateway.CreateAnonymousClient()
            .WithToken(TestTokens.Create(PracticeMeshRoles.Partner, "321324", lifetime: TimeSpan.FromMinutes(-10)));
        var form = new Dictionary<string, string> { ["api_key"] = "k", ["service_code"] = "sanitation", ["address_id"] = "321324104202" };

        using var posted = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(form));
        using var postedWithStaleToken = await stale.PostAsync("/open311/v2/requests.xml", new FormUrlEncodedContent(form));

        var echoed = await posted.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal(("POST", "/open311/v2/requests.json"), (echoed!.Method, echoed.Path));
        Assert.Contains("service_code=sanitation", echoed.Body);
        Assert.Equal(HttpStatusCode.Created, postedWithStaleToken.StatusCode);
    }

    [Fact]
    public async Task Other_methods_and_paths_next_to_open311_are_not_opened()
    {
        using var client = gateway.CreateAnonymousClient();

        using var delete = await client.DeleteAsync("/open311/v2/requests/1.json");
        using var older = await client.GetAsync("/open311/v1/services.json");

        Assert.NotEqual(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, older.StatusCode);
        Assert.Equal(0, gateway.Backend.CountFor("/open311/v2/requests/1.json"));
        Assert.Equal(0, gateway.Backend.CountFor("/open311/v1/services.json"));
    }

    [Fact]
    public async Task The_partners_keys_need_a_token_and_their_answers_are_never_stored()
    {
        using var anonymous = gateway.CreateAnonymousClient();
        using var admin = gateway.CreateClient();
        const string Path = "/api/v1/grid/open311/keys";
        var key = Guid.NewGuid().ToString();

        using var refused = await anonymous.GetAsync(Path);
        using var one = await admin.SendAsync(Post(Path, key));
        using var two = await admin.SendAsync(Post(Path, key));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, one.StatusCode);
        // The answer holds the key itself: a replay from the store would have kept it there for a day.
        Assert.False(two.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, gateway.Backend.CountFor(Path));
    }

    private static HttpRequestMessage Post(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { clientId = "hotline", name = "热线", division = "321324" }) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
