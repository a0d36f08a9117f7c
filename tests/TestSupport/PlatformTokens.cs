using System.Net;
using System.Text.Json;

namespace PracticeMesh.TestSupport;

/// <summary>Real tokens from a running platform's token endpoint, as a client gets them.</summary>
public static class PlatformTokens
{
    /// <summary>The password of every demo account the identity service seeds.</summary>
    public const string DemoPassword = "PracticeMesh-demo-1";

    public static Task<string> PasswordAsync(HttpClient client, string userName, string password) =>
        RequestAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = userName,
            ["password"] = password,
        });

    public static Task<string> ClientCredentialsAsync(HttpClient client, string clientId, string secret) =>
        RequestAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

    private static async Task<string> RequestAsync(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"token request ({form["grant_type"]}) answered {(int)response.StatusCode}: {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
