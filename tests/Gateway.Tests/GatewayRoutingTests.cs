using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace PracticeMesh.Gateway.Tests;

public sealed class GatewayRoutingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string CorrelationHeader = "X-Correlation-Id";

    public static TheoryData<string> Clusters => new(GatewayFixture.Clusters);

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task Forwards_each_service_path_and_query_unchanged(string service)
    {
        using var client = gateway.CreateClient();

        var echoed = await GetEchoAsync(client, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/{service}/x/42?page=2"));

        Assert.Equal($"/api/v1/{service}/x/42", echoed.Path);
        Assert.Equal("?page=2", echoed.Query);
    }

    [Fact]
    public async Task Forwards_the_bare_service_path()
    {
        using var client = gateway.CreateClient();

        var echoed = await GetEchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/stations"));

        Assert.Equal("/api/v1/stations", echoed.Path);
    }

    [Fact]
    public async Task Forwards_and_returns_the_callers_correlation_id()
    {
        using var client = gateway.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stations/x");
        request.Headers.Add(CorrelationHeader, "partner-req-7");

        using var response = await client.SendAsync(request);
        var echoed = await ReadEchoAsync(response);

        Assert.Equal("partner-req-7", echoed.CorrelationId);
        // Gateway and backend both echo the id: the client must still see exactly one value.
        Assert.Equal(["partner-req-7"], response.Headers.GetValues(CorrelationHeader));
    }

    [Fact]
    public async Task Creates_a_correlation_id_when_the_caller_sends_none()
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/v1/stations/x");
        var echoed = await ReadEchoAsync(response);

        Assert.False(string.IsNullOrWhiteSpace(echoed.CorrelationId));
        Assert.Equal([echoed.CorrelationId], response.Headers.GetValues(CorrelationHeader));
    }

    [Fact]
    public async Task Continues_the_callers_trace()
    {
        using var client = gateway.CreateClient();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stations/x");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var echoed = await GetEchoAsync(client, request);

        Assert.NotNull(echoed.TraceParent);
        Assert.Equal(traceId, echoed.TraceParent.Split('-')[1]);
    }

    [Fact]
    public async Task Starts_a_trace_when_the_caller_sends_none()
    {
        using var client = gateway.CreateClient();

        var echoed = await GetEchoAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/stations/x"));

        Assert.NotNull(echoed.TraceParent);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", echoed.TraceParent);
    }

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/v1/stationsx/1")]
    public async Task Unknown_paths_are_404(string path)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200(string path)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<EchoedRequest> GetEchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return await ReadEchoAsync(response);
    }

    private static async Task<EchoedRequest> ReadEchoAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<EchoedRequest>()
            ?? throw new InvalidOperationException("The backend returned no body.");
    }
}
