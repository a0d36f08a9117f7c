using System.Net;
using System.Text.Json;

namespace PracticeMesh.Stations.Tests;

/// <summary>The OpenAPI document describes every endpoint of the service.</summary>
public sealed class OpenApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    [Fact]
    public async Task Every_stations_operation_has_a_summary()
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        var operations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/stations", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();

        Assert.True(operations.Count >= 25, $"only {operations.Count} operations");
        Assert.All(operations, o => Assert.True(o.Operation.TryGetProperty("summary", out var s) && s.GetString()!.Length > 0, $"{o.Method} {o.Path} has no summary"));
        Assert.Contains(operations, o => o.Path == "/api/v1/stations/{code}/six-haves/{item}/verification" && o.Method == "post");
    }
}
