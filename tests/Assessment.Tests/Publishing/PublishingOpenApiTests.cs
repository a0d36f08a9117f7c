using System.Net;
using System.Text.Json;

namespace PracticeMesh.Assessment.Tests.Publishing;

/// <summary>The OpenAPI document describes publishing and honours (partners and the gateway's reference page read it).</summary>
public sealed class PublishingOpenApiTests(PublishingFactory factory) : IClassFixture<PublishingFactory>
{
    [Fact]
    public async Task The_document_describes_publishing_and_honours()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/v1.json answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/v1/assessment/periods/{period}/publish", "post"), ("/api/v1/assessment/periods/{period}", "get"),
            ("/api/v1/assessment/periods/{period}/results", "get"), ("/api/v1/assessment/periods/{period}/results/{tier}/{subject}", "get"),
            ("/api/v1/assessment/honours/{county}/{year}/candidates", "get"), ("/api/v1/assessment/honours/{county}/{year}/confirm", "post"),
            ("/api/v1/assessment/honours/{county}/{year}", "get"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var operations) && operations.TryGetProperty(method, out _), $"{method} {path} is not in the document");
        }
        // The calculator is a service, not a request body: the publish operation's body is the county alone.
        var publish = paths.GetProperty("/api/v1/assessment/periods/{period}/publish").GetProperty("post");
        Assert.Contains("county", publish.GetProperty("requestBody").GetRawText());
    }
}
