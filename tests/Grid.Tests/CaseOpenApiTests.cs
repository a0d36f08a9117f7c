using System.Net;
using System.Text.Json;

namespace PracticeMesh.Grid.Tests;

/// <summary>The OpenAPI document is served with the case endpoints in it (the gateway merges it into its own).</summary>
public sealed class CaseOpenApiTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task The_document_describes_the_case_endpoints()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/v1.json answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/grid/cases", "/api/v1/grid/cases/{id}", "/api/v1/grid/cases/mine", "/api/v1/grid/cases/{id}/dispatch",
            "/api/v1/grid/cases/{id}/extension/approve", "/api/v1/grid/cases/{id}/merge" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the document");
        }
    }
}
