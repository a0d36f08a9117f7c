using System.Net;
using System.Text.Json;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The document tells a client what the self-service and per-head operations take and answer.</summary>
public sealed class SelfServiceOpenApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    [Fact]
    public async Task The_self_service_and_per_head_operations_are_documented_with_their_shapes()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");

        foreach (var (path, method) in new[]
        {
            ("/api/v1/volunteers/self-registrations", "post"), ("/api/v1/volunteers/me", "get"), ("/api/v1/volunteers/me/hours", "get"),
            ("/api/v1/volunteers/me/obligations", "get"), ("/api/v1/volunteers/me/certificates", "post"),
            ("/api/v1/volunteers/obligations/teams", "get"), ("/api/v1/volunteers/obligations/cadres", "get"),
        })
        {
            Assert.True(paths.GetProperty(path).GetProperty(method).TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0,
                $"{method} {path} has no summary");
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var mine = schemas.EnumerateObject().Single(s => s.Name.EndsWith("MyVolunteerResponse", StringComparison.Ordinal)).Value.GetProperty("properties");
        Assert.All(new[] { "id", "status", "starLevel", "categories", "idCardNumber", "linked", "teams" }, p => Assert.True(mine.TryGetProperty(p, out _), p));
        var registration = schemas.EnumerateObject().Single(s => s.Name.EndsWith("SelfRegistrationRequest", StringComparison.Ordinal)).Value;
        Assert.Equal(new[] { "idNumber", "phone", "politicalStatus", "realName" },
            registration.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
    }
}
