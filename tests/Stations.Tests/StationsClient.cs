using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.TestSupport;
using Xunit;

namespace PracticeMesh.Stations.Tests;

/// <summary>PUT and DELETE with status assertions, and a tree to work in.</summary>
internal static class StationsClient
{
    public const string Path = "/api/v1/stations";

    public static async Task<JsonElement> PutAsync(this HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body ?? new { }, HttpAssertions.Json);
        return await ExpectAsync(response, expected, $"PUT {path}");
    }

    public static async Task<JsonElement> DeleteAsync(this HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.DeleteAsync(path);
        return await ExpectAsync(response, expected, $"DELETE {path}");
    }

    /// <summary>A centre, institute {county}104 and station {county}104201.</summary>
    public static async Task RegisterTreeAsync(this HttpClient client, string county)
    {
        await client.RegisterAsync(county, "CountyCentre");
        await client.RegisterAsync(county + "104", "Institute");
        await client.RegisterAsync(county + "104201", "Village");
    }

    /// <summary>The same tree, for theories whose cases share a county: an existing site is fine.</summary>
    public static async Task EnsureTreeAsync(this HttpClient client, string county)
    {
        foreach (var (code, kind) in new[] { (county, "CountyCentre"), (county + "104", "Institute"), (county + "104201", "Village") })
        {
            using var response = await client.PostAsJsonAsync(Path, new { code, name = $"site {code}", kind }, HttpAssertions.Json);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        }
    }

    public static Task<JsonElement> RegisterAsync(this HttpClient client, string code, string kind, string? name = null) =>
        client.PostAsync(Path, new { code, name = name ?? $"site {code}", kind }, HttpStatusCode.Created);

    public static bool HasError(this JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
