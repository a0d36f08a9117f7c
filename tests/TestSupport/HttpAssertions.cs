using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace PracticeMesh.TestSupport;

public static class HttpAssertions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>POSTs JSON and asserts the status; returns the body as JSON.</summary>
    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { }, Json);
        return await ExpectAsync(response, expected, $"POST {path}");
    }

    public static async Task<JsonElement> GetAsync(this HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(path);
        return await ExpectAsync(response, expected, $"GET {path}");
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await ExpectAsync(response, HttpStatusCode.OK, $"GET {path}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>POSTs <paramref name="json"/> as written (for text no serializer would produce) and asserts the status.</summary>
    public static async Task<JsonElement> PostRawAsync(this HttpClient client, string path, string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        return await ExpectAsync(response, expected, $"POST {path}");
    }

    /// <summary>Asserts a 400 problem names <paramref name="field"/> among its errors.</summary>
    public static void AssertNamesInvalid(JsonElement problem, string field) =>
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"Expected an error for {field}: {problem}");

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value, for state another service reaches through events.
    /// Fails with <paramref name="what"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        // Generous: a loaded 2-core machine delays event delivery; a healthy run answers in well under a second.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }
            await Task.Delay(100);
        }
    }
}
