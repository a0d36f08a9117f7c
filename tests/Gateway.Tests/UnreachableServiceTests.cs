using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

public sealed class UnreachableServiceTests
{
    [Fact]
    public async Task A_service_that_is_down_gives_a_problem_with_a_correlation_id()
    {
        // Port 1 on loopback refuses connections: the service "is down".
        await using var factory = GatewayHost.Create(GatewayHost.Settings(new Uri("http://127.0.0.1:1/")));
        using var client = factory.CreateClient().WithToken(GatewayHost.PersonToken());

        using var response = await client.GetAsync("/api/v1/stations/x");

        // 502 while the destination is still unknown, 503 once the health checks have marked it down.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
    }
}
