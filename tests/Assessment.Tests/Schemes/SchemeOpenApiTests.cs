using System.Net;
using System.Text.Json;

namespace PracticeMesh.Assessment.Tests.Schemes;

/// <summary>The API document describes the scheme endpoints, and that a scheme may be sent as JSON or YAML.</summary>
public sealed class SchemeOpenApiTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    [Fact]
    public async Task The_document_describes_the_scheme_endpoints_and_their_formats()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/v1.json answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/assessment/indicators", "/api/v1/assessment/schemes/default", "/api/v1/assessment/schemes/{county}/{year}/versions",
            "/api/v1/assessment/schemes/{county}/{year}/versions/{version}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the document");
        }
        var put = paths.GetProperty("/api/v1/assessment/schemes/{county}/{year}").GetProperty("put");
        var formats = put.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Contains("application/json", formats);
        Assert.Contains("application/yaml", formats);
    }
}
