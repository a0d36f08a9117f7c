using System.Net;
using System.Text.Json;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>An Open311 client's whole visit, as a partner app makes it, knowing only the discovery address and its key.</summary>
public sealed class Open311FlowTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_client_discovers_lists_services_posts_follows_by_token_and_reads_its_request()
    {
        var key = await IssueKeyAsync(factory, clientId: "resident-app");
        using var client = factory.CreateAnonymousClient();

        // Discover: the endpoint's address and formats.
        var discovery = await GetJsonAsync(client, $"{Base}/discovery.json");
        var endpoint = new Uri(discovery.GetProperty("endpoints")[0].GetProperty("url").GetString()! + "/");
        Assert.Contains("application/json", discovery.GetProperty("endpoints")[0].GetProperty("formats").EnumerateArray().Select(f => f.GetString()));

        // List services and pick one by its name.
        var services = await GetJsonAsync(client, new Uri(endpoint, "services.json").PathAndQuery);
        var serviceCode = services.EnumerateArray().Single(s => s.GetProperty("service_name").GetString() == "公共设施损坏").GetProperty("service_code").GetString()!;

        // Post, keeping only the token.
        var posted = await PostFormAsync(client, new Uri(endpoint, "requests.json").PathAndQuery, Request(key,
            ("service_code", serviceCode), ("description", "村口路灯不亮"), ("media_url", null)));
        Assert.True(posted.Status == HttpStatusCode.OK, posted.Body);
        var token = JsonDocument.Parse(posted.Body).RootElement[0].GetProperty("token").GetString()!;

        // Follow by token, then read the request.
        var followed = await GetJsonAsync(client, new Uri(endpoint, $"tokens/{token}.json").PathAndQuery);
        var number = followed[0].GetProperty("service_request_id").GetString()!;
        var request = (await GetJsonAsync(client, new Uri(endpoint, $"requests/{number}.json").PathAndQuery))[0];

        Assert.Equal(("open", serviceCode, "村口路灯不亮"),
            (request.GetProperty("status").GetString(), request.GetProperty("service_code").GetString(), request.GetProperty("description").GetString()));
        Assert.Equal(JsonValueKind.Null, request.GetProperty("media_url").ValueKind);
        // It is in the public list of the last 90 days too.
        var listed = await GetJsonAsync(client, new Uri(endpoint, $"requests.json?service_code={serviceCode}").PathAndQuery);
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == number);
    }
}
