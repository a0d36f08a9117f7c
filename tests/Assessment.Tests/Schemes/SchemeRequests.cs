using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Schemes;

/// <summary>Scheme calls as a county would make them.</summary>
internal static class SchemeRequests
{
    public const string Root = "/api/v1/assessment";

    /// <summary>The shipped default as the API gives it, made the document for <paramref name="year"/>.</summary>
    public static async Task<JsonObject> DefaultDocumentAsync(HttpClient client, int year)
    {
        using var response = await client.GetAsync($"{Root}/schemes/default");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        document["year"] = year;
        return document;
    }

    public static Task<(JsonElement Body, HttpResponseMessage Response)> PutJsonAsync(HttpClient client, string county, int year, JsonNode document,
        HttpStatusCode expected) => PutAsync(client, county, year, document.ToJsonString(), "application/json", expected);

    /// <summary>PUTs <paramref name="text"/> as <paramref name="mediaType"/> and asserts the status (and problem details for an error).</summary>
    public static async Task<(JsonElement Body, HttpResponseMessage Response)> PutAsync(HttpClient client, string county, int year, string text,
        string mediaType, HttpStatusCode expected)
    {
        using var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        var response = await client.PutAsync($"{Root}/schemes/{county}/{year}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT scheme {county}/{year}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return (body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone(), response);
    }

    public static async Task<int[]> VersionsAsync(HttpClient client, string county, int year)
    {
        var versions = await client.GetAsync($"{Root}/schemes/{county}/{year}/versions", HttpStatusCode.OK);
        return [.. versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32())];
    }
}
