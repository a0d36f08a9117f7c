using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// A service that cannot be reached (restarting, or every replica down): another healthy replica answers where there
/// is one, and otherwise the caller is told to come back (503 problem details with Retry-After), never a bare 502.
/// </summary>
public sealed class UnreachableServiceTests
{
    // Port 1 on loopback refuses connections: a destination that is down.
    private static readonly Uri Dead = new("http://127.0.0.1:1/");

    [Fact]
    public async Task A_service_that_is_down_is_a_503_problem_with_retry_after_and_a_correlation_id()
    {
        await using var factory = GatewayHost.Create(GatewayHost.Settings(Dead));
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());

        // The first while the destination is still thought healthy, then repeats, as clients do while it restarts.
        for (var i = 0; i < 12; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync("/api/v1/stations/x");
            clock.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("stations", problem.GetProperty("detail").GetString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"answered after {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task A_service_that_stops_in_the_middle_of_an_answer_is_a_503_problem_with_retry_after()
    {
        await using var backend = CutShortBackend.Start();
        await using var factory = GatewayHost.Create(GatewayHost.Settings(backend.Address));
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());

        // The service sends a 200's headers and part of its body, then its process is gone: the caller must not get a
        // cut connection after a success status, but an answer it can act on.
        using var response = await client.GetAsync("/api/v1/volunteers/v1/hours");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("stopped while answering", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task With_one_replica_down_and_one_up_every_request_is_answered_by_the_live_one()
    {
        await using var live = await EchoBackend.StartAsync();
        var settings = GatewayHost.Settings(live.Address);
        // Round robin, the dead replica first: without a retry every other request would fail.
        settings["ReverseProxy:Clusters:stations:Destinations:primary:Address"] = Dead.ToString();
        settings["ReverseProxy:Clusters:stations:Destinations:secondary:Address"] = live.Address.ToString();
        settings["ReverseProxy:Clusters:stations:LoadBalancingPolicy"] = "RoundRobin";
        await using var factory = GatewayHost.Create(settings);
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());

        for (var i = 0; i < 6; i++)
        {
            using var read = await client.GetAsync($"/api/v1/stations/read-{i}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        // A change with a body is sent again whole; the live replica sees it once.
        using (var renamed = await client.PutAsJsonAsync("/api/v1/stations/renamed", new { name = "Wangji station" }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }
        Assert.Contains("Wangji station", Assert.Single(live.Received, r => r.Path == "/api/v1/stations/renamed").Body);
        // A create that never reached the dead replica (connection refused) is safe to send on, and is created once.
        for (var i = 0; i < 2; i++)
        {
            using var created = await client.PostAsJsonAsync($"/api/v1/stations/created-{i}", new { name = "大楼村实践站" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(1, live.CountFor($"/api/v1/stations/created-{i}"));
        }
        Assert.Equal(6, Enumerable.Range(0, 6).Count(i => live.CountFor($"/api/v1/stations/read-{i}") == 1));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void A_request_that_may_have_reached_the_service_is_sent_again_only_when_repeating_it_is_harmless(string method, bool retried)
    {
        // The connection was made and then lost before an answer: the service may have acted on it.
        var lost = new Failure(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        var refused = new Failure(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        Assert.Equal(retried, Http.ForwarderErrorMiddleware.MayRetry(method, lost));
        Assert.True(Http.ForwarderErrorMiddleware.MayRetry(method, refused));
    }

    private sealed record Failure(Exception Exception) : Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature
    {
        public Yarp.ReverseProxy.Forwarder.ForwarderError Error => Yarp.ReverseProxy.Forwarder.ForwarderError.Request;
        Exception? Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature.Exception => Exception;
    }
}

/// <summary>
/// A raw socket standing in for a service killed in the middle of an answer: it sends complete 200 headers promising
/// a body, part of that body, and closes the connection. Health probes get a whole answer.
/// </summary>
internal sealed class CutShortBackend : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _serving = Task.CompletedTask;

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public static CutShortBackend Start()
    {
        var backend = new CutShortBackend();
        backend._listener.Start();
        backend._serving = backend.ServeAsync();
        return backend;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = AnswerAsync(connection);
        }
    }

    private static async Task AnswerAsync(System.Net.Sockets.TcpClient connection)
    {
        using (connection)
        {
            var stream = connection.GetStream();
            // Requests here are GETs without a body: the request ends with its blank line.
            var request = new System.Text.StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }
                request.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            }
            var answer = request.ToString().StartsWith("GET /health/", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nHealthy"
                : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"entries\":[";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer));
            await stream.FlushAsync();
            // A graceful close: what was sent arrives, and the body stops short of its Content-Length.
            connection.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _serving;
    }
}
