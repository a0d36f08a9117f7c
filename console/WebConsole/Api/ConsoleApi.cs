using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.WebConsole.Auth;

namespace PracticeMesh.WebConsole.Api;

/// <summary>
/// The public API as the signed-in person: every call carries their own access token, so the console shows and does
/// nothing the API would not let them. A refusal or failure becomes <see cref="ApiProblemException"/> with the API's
/// problem details, for the page to say in plain words.
/// </summary>
public sealed class ConsoleApi(IHttpClientFactory httpClients, ConsoleTokens tokens)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, signedIn: true, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A read anyone may make (the public pages): no token.</summary>
    public async Task<T> GetAnonymousAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, signedIn: false, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, signedIn: true, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A write whose answer the page does not need.</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, body, signedIn: true, cancellationToken);
    }

    /// <summary>A post anyone may make (ordering a service, reporting a problem as a resident): no token.</summary>
    public async Task<T> PostAnonymousAsync<T>(string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, signedIn: false, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A file the API makes (an XLSX export, a certificate): its bytes, type and name.</summary>
    public async Task<ApiFile> DownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, signedIn: true, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        return new ApiFile(bytes, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", name);
    }

    /// <summary>
    /// One page of a list the API pages: the items, and what the API said of the rest — the total (X-Total-Count)
    /// when it counts, the next page's cursor (X-Next-Cursor) when it pages by cursor.
    /// </summary>
    public async Task<ApiPage<T>> GetPageAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, signedIn: true, cancellationToken);
        var items = await ReadAsync<List<T>>(response, cancellationToken);
        int? total = response.Headers.TryGetValues("X-Total-Count", out var totals) && int.TryParse(totals.FirstOrDefault(), out var count) ? count : null;
        var next = response.Headers.TryGetValues("X-Next-Cursor", out var cursors) ? cursors.FirstOrDefault() : null;
        return new ApiPage<T>(items, total, next);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, bool signedIn, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        if (signedIn)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(cancellationToken));
        }
        var http = httpClients.CreateClient(ConsoleHttpClients.Api);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiProblemException(new ApiProblem(503, "服务暂时不可用", "无法连接到平台服务，请稍后再试。", null), ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized && signedIn)
            {
                throw new SignInRequiredException();
            }
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
        ?? throw new ApiProblemException(new ApiProblem((int)response.StatusCode, "空的回答", "平台服务没有返回内容。", null));
}

/// <summary>A page of a list from the API, with the total or the next page's cursor when the API gives them.</summary>
public sealed record ApiPage<T>(List<T> Items, int? TotalCount, string? NextCursor);

/// <summary>A file from the API.</summary>
public sealed record ApiFile(byte[] Content, string ContentType, string? FileName);

/// <summary>The HTTP clients the console uses: the public API, and identity for refreshing tokens.</summary>
public static class ConsoleHttpClients
{
    public const string Api = "console-api";
    public const string Identity = "console-identity";
}
