using System.Net.Http.Json;
using System.Text.Json;

namespace PracticeMesh.WebConsole.Api;

/// <summary>
/// What the API said when it refused or failed (RFC 7807 problem details), in the words a person reads: the API's own
/// detail when it gave one, else a plain sentence for the status; never a stack trace.
/// </summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>The sentence to show.</summary>
    public string PlainWords
    {
        get
        {
            var words = string.IsNullOrWhiteSpace(Detail) ? ForStatus(Status) : Detail!;
            if (Errors is { Count: > 0 })
            {
                words += " " + string.Join("；", Errors.SelectMany(e => e.Value));
            }
            return words;
        }
    }

    public static string ForStatus(int status) => status switch
    {
        400 => "提交的内容有误，请检查后再试。",
        401 => "登录已过期，请重新登录。",
        403 => "您没有权限进行此操作。",
        404 => "没有找到要查看的内容，或不在您的管辖范围内。",
        409 => "内容已被他人修改或状态已变化，请刷新后再试。",
        413 => "文件太大。",
        429 => "操作太频繁，请稍后再试。",
        503 => "服务暂时不可用，请稍后再试。",
        _ => "操作没有成功，请稍后再试。",
    };

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
                Dictionary<string, string[]>? errors = null;
                if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var found) && found.ValueKind == JsonValueKind.Object)
                {
                    errors = found.EnumerateObject().ToDictionary(
                        e => e.Name,
                        e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(m => m.ToString()).ToArray() : [e.Value.ToString()]);
                }
                return new ApiProblem(status, Text("title") ?? ForStatus(status), Text("detail"), errors);
            }
            catch (JsonException)
            {
                // Not the JSON it claimed to be: say what the status means.
            }
        }
        return new ApiProblem(status, ForStatus(status), null, null);
    }
}

/// <summary>The API refused or failed; <see cref="Problem"/> says why.</summary>
public sealed class ApiProblemException(ApiProblem problem, Exception? inner = null) : Exception(problem.PlainWords, inner)
{
    public ApiProblem Problem { get; } = problem;
}
