using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Reliability;

/// <summary>An answer the partner settled on: anything but a retryable failure.</summary>
public sealed record Answer(int Status, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public bool Is(HttpStatusCode status) => Status == (int)status;
}

public sealed class PartnerGaveUpException(string message) : Exception(message);

/// <summary>
/// A partner system calling through the gateway as a well-behaved client would: a bearer token (fetched again when
/// refused), an <c>Idempotency-Key</c> on every POST, kept across its retries, and on 503 or 429 a wait of
/// <c>Retry-After</c> before sending the same request again. A 500, 502 or 504 or no answer is also retried (after a
/// second), but counted as a failure; every answer is counted in <see cref="Traffic"/>.
/// </summary>
public sealed class Partner(HttpClient http, Traffic traffic, string userName)
{
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private volatile string? _token;

    /// <summary>How long one call keeps retrying before the partner gives up (longer than any fault of the run).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(4);

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Answer> PostAsync(string path, object? body = null) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body ?? new { }, HttpAssertions.Json));

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? json)
    {
        var key = method == HttpMethod.Post ? Guid.NewGuid().ToString("N") : null;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var token = _token ?? await SignInAsync(null);
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            var window = traffic.Window;
            TimeSpan wait;
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var retryAfter = RetryAfter(response);
                traffic.Record(window, method, path, status, retryAfter is not null);
                switch (status)
                {
                    case 401:
                        await SignInAsync(token);
                        continue;
                    case 429 or 503:
                        wait = retryAfter ?? TimeSpan.FromSeconds(1);
                        break;
                    case 409 when body.Contains("Idempotency-Key is in progress", StringComparison.Ordinal):
                        wait = TimeSpan.FromSeconds(1);
                        break;
                    case >= 500:
                        wait = TimeSpan.FromSeconds(1);
                        break;
                    default:
                        return new Answer(status, body);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                traffic.Record(window, method, path, 0, false);
                wait = TimeSpan.FromSeconds(1);
            }
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new PartnerGaveUpException($"{method} {path} had no usable answer within {Patience}.");
            }
            await Task.Delay(wait);
        }
    }

    /// <summary>Waits until <paramref name="probe"/> is satisfied with an answer, for state another service learns by event.</summary>
    public async Task<Answer> EventuallyAsync(Func<Task<Answer>> send, Func<Answer, bool> done, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var answer = await send();
            if (done(answer))
            {
                return answer;
            }
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new PartnerGaveUpException($"{what}: still {answer.Status} after {Patience}: {Shorten(answer.Body)}");
            }
            await Task.Delay(250);
        }
    }

    public static string Shorten(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>Signs in again unless another call already replaced <paramref name="refused"/>; retried through faults.</summary>
    private async Task<string> SignInAsync(string? refused)
    {
        await _signIn.WaitAsync();
        try
        {
            if (_token is { } current && current != refused)
            {
                return current;
            }
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                var window = traffic.Window;
                TimeSpan wait;
                try
                {
                    using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "password",
                        ["username"] = userName,
                        ["password"] = PlatformTokens.DemoPassword,
                    }));
                    var body = await response.Content.ReadAsStringAsync();
                    var retryAfter = RetryAfter(response);
                    traffic.Record(window, HttpMethod.Post, "/connect/token", (int)response.StatusCode, retryAfter is not null);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        _token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
                        return _token;
                    }
                    wait = retryAfter ?? TimeSpan.FromSeconds(1);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 429)
                    {
                        throw new PartnerGaveUpException($"the token endpoint refused {userName}: {(int)response.StatusCode} {Shorten(body)}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    traffic.Record(window, HttpMethod.Post, "/connect/token", 0, false);
                    wait = TimeSpan.FromSeconds(1);
                }
                if (Stopwatch.GetElapsedTime(started) > Patience)
                {
                    throw new PartnerGaveUpException($"no token within {Patience}.");
                }
                await Task.Delay(wait);
            }
        }
        finally
        {
            _signIn.Release();
        }
    }
}
