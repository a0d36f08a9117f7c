using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// What the stations registry would have said before a grid is drawn: a village's station registered, delivered
/// through the bus to the grid service's consumers as in production.
/// </summary>
public static class GridVillageFeed
{
    public static StationRegistered Registered(string village, DateTimeOffset at, string? name = null) =>
        new(Guid.NewGuid(), at, DivisionCode.Parse(village), Guid.NewGuid(), village, name ?? $"{village}实践站", StationKind.Village, null);

    /// <summary>Registers the villages' stations and waits until the grid service has heard of each.</summary>
    public static Task VillagesAsync<TEntryPoint>(this ServiceFactory<TEntryPoint> factory, params string[] villages) where TEntryPoint : class =>
        factory.DeliverAsync(villages.Select(v => (IIntegrationEvent)Registered(v, factory.Clock.GetUtcNow())));

    /// <summary>A square GeoJSON Polygon with its south-west corner at (<paramref name="lon"/>, <paramref name="lat"/>).</summary>
    public static object Square(double lon, double lat, double size = 0.01) => Polygon((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat));

    /// <summary>A GeoJSON Polygon of one ring, given as (longitude, latitude) positions.</summary>
    public static object Polygon(params (double Lon, double Lat)[] ring) =>
        new { type = "Polygon", coordinates = new[] { ring.Select(p => new[] { p.Lon, p.Lat }).ToArray() } };

    /// <summary>PUTs JSON and asserts the status; returns the body as JSON.</summary>
    public static async Task<JsonElement> PutAsync(this HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body, HttpAssertions.Json);
        var text = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(response.StatusCode == expected, $"PUT {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
