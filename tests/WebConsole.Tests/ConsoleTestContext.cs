using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Auth;

namespace PracticeMesh.WebConsole.Tests;

/// <summary>
/// A bUnit context with what a console page needs: the component library, Chinese words, a signed-in person whose
/// session has a token, and the API answered by <see cref="Api"/> (which records every request).
/// </summary>
public class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    public const string SessionId = "test-session";

    public FakeApi Api { get; } = new();

    public BunitAuthorizationContext Authorization { get; }

    public ConsoleTestContext()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("zh-CN");
        JSInterop.Mode = JSRuntimeMode.Loose;
        // A shared CI machine under load renders slowly: waiting for an assertion gives it time rather than failing.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        Services.AddSingleton<ConsoleTokenStore>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IHttpClientFactory>(Api);
        Services.AddScoped<ConsoleTokens>();
        Services.AddScoped<ConsoleApi>();
        Services.AddScoped<DivisionNames>();
        // A test session's token does not expire within a test, so the issuer is never asked for a refresh.
        Services.AddSingleton<IssuerMetadata>();
        Authorization = AddAuthorization();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's popover service disposes only asynchronously (a page with a select has one).</summary>
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    /// <summary>Signs in a person of <paramref name="role"/> for <paramref name="division"/> with a token valid for an hour.</summary>
    public void SignIn(string role, string division, string name = "测试人员")
    {
        Authorization.SetAuthorized(name);
        // Roles before claims: setting the roles afterwards would drop the claims (the session id among them).
        Authorization.SetRoles(role);
        Authorization.SetClaims(
            new Claim("sub", Guid.NewGuid().ToString()),
            new Claim("name", name),
            new Claim("role", role),
            new Claim("division", division),
            new Claim(ConsoleClaims.SessionId, SessionId));
        var now = DateTimeOffset.UtcNow;
        Services.GetRequiredService<ConsoleTokenStore>()
            .SetAsync(SessionId, new ConsoleTokenSet("test-access-token", now.AddHours(1), "test-refresh-token", now.AddHours(8)))
            .GetAwaiter().GetResult();
    }
}

/// <summary>
/// The public API as a page under test sees it: answers set per method and path (query included), every request
/// recorded with its body; anything not set answers 404 with problem details, as the API would.
/// </summary>
public sealed class FakeApi : IHttpClientFactory
{
    private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _answers = new(StringComparer.Ordinal);

    public List<(HttpMethod Method, string PathAndQuery, string? Body, string? Token)> Requests { get; } = [];

    public FakeApi Answer(HttpMethod method, string pathAndQuery, object body, HttpStatusCode status = HttpStatusCode.OK)
    {
        _answers[$"{method} {pathAndQuery}"] = _ => Json(body, status);
        return this;
    }

    public FakeApi Answer(HttpMethod method, string pathAndQuery, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _answers[$"{method} {pathAndQuery}"] = answer;
        return this;
    }

    public FakeApi Problem(HttpMethod method, string pathAndQuery, int status, string title, string? detail = null) =>
        Answer(method, pathAndQuery, _ => new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { type = "about:blank", title, status, detail }), Encoding.UTF8, "application/problem+json"),
        });

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, ConsoleApi.Json), Encoding.UTF8, "application/json"),
    };

    public HttpClient CreateClient(string name) => new(new Handler(this)) { BaseAddress = new Uri("http://console.test/") };

    private sealed class Handler(FakeApi api) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            if (body is not null && request.Content!.Headers.ContentType?.MediaType == "application/json")
            {
                // Recorded with Chinese as itself (the wire escapes it as \uXXXX), so a test reads what a person typed.
                body = JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement,
                    new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }
            var key = $"{request.Method} {request.RequestUri!.PathAndQuery}";
            lock (api.Requests)
            {
                api.Requests.Add((request.Method, request.RequestUri.PathAndQuery, body, request.Headers.Authorization?.Parameter));
            }
            return api._answers.TryGetValue(key, out var answer)
                ? answer(request)
                : new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent(JsonSerializer.Serialize(new { title = "Not Found", status = 404, detail = $"No answer set for {key}." }), Encoding.UTF8, "application/problem+json"),
                };
        }
    }
}
