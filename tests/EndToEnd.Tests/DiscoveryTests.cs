using System.Net;
using System.Text.Json;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// What a partner system sees of the identity service through the gateway: the discovery document must name URLs the
/// partner can reach (the gateway's), never the identity service's address inside the platform.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class DiscoveryTests(DistributedPlatform platform)
{
    [Fact]
    public async Task Discovery_through_the_gateway_names_the_gateways_token_endpoint_and_keys_and_both_work()
    {
        using var client = platform.CreateClient();
        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration"));
        var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString()!;
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString()!;
        Assert.Equal(new Uri(platform.Gateway.Address, "connect/token").ToString(), tokenEndpoint);
        Assert.StartsWith(platform.Gateway.Address.ToString(), jwksUri);

        // A partner follows the document: a token from the endpoint it names, the keys from the set it names.
        using var partner = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var token = await partner.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "demo-partner",
            ["client_secret"] = "demo-partner-secret",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var keys = JsonDocument.Parse(await partner.GetStringAsync(jwksUri));
        Assert.NotEmpty(keys.RootElement.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task Behind_an_ingress_that_ends_TLS_discovery_names_the_public_https_address()
    {
        // The platform's gateway trusts loopback as its ingress: the ingress passes the public host and says the client
        // came over https.
        using var client = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "practicemesh.example.test";
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var discovery = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://practicemesh.example.test/connect/token", discovery.RootElement.GetProperty("token_endpoint").GetString());
        Assert.StartsWith("https://practicemesh.example.test/", discovery.RootElement.GetProperty("jwks_uri").GetString());
    }
}
