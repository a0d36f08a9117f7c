using System.Net;
using System.Text.Json;

namespace PracticeMesh.Activities.Tests;

/// <summary>The OpenAPI document is served and describes the activities endpoints, the new topics' too.</summary>
public sealed class OpenApiTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    [Fact]
    public async Task The_document_describes_every_topic_of_the_service()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/v1.json answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        var paths = JsonDocument.Parse(body).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/activities/me", "/api/v1/activities/orders/mine", "/api/v1/activities/series", "/api/v1/activities/lecturers",
            "/api/v1/activities/{id}/records/attachments", "/api/v1/activities/cadence/stations" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the document");
        }
    }
}
