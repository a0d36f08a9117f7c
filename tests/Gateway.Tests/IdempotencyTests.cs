using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>Two gateway replicas sharing the real Redis, and one standalone gateway keeping keys in process.</summary>
public sealed class IdempotencyFixture : IAsyncLifetime
{
    private readonly List<WebApplicationFactory<GatewayMarker>> gateways = [];

    public EchoBackend Backend { get; private set; } = null!;

    /// <summary>The gateway a request goes to: in "redis" mode the first and the repeat go to different replicas.</summary>
    public (HttpClient First, HttpClient Repeat) Clients(string mode, string token) => mode switch
    {
        "redis" => (gateways[0].CreateClient().WithToken(token), gateways[1].CreateClient().WithToken(token)),
        _ => (gateways[2].CreateClient().WithToken(token), gateways[2].CreateClient().WithToken(token)),
    };

    public async Task InitializeAsync()
    {
        Backend = await EchoBackend.StartAsync();
        var prefix = GatewayHost.NewKeyPrefix();
        gateways.Add(GatewayHost.Create(GatewayHost.Settings(Backend.Address, GatewayHost.Redis, prefix)));
        gateways.Add(GatewayHost.Create(GatewayHost.Settings(Backend.Address, GatewayHost.Redis, prefix)));
        gateways.Add(GatewayHost.Create(GatewayHost.Settings(Backend.Address)));
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in gateways)
        {
            await gateway.DisposeAsync();
        }
        await Backend.DisposeAsync();
    }
}

public sealed class IdempotencyTests(IdempotencyFixture fixture) : IClassFixture<IdempotencyFixture>
{
    private const string Header = "Idempotency-Key";

    public static TheoryData<string> Modes => new("redis", "memory");

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_repeated_key_creates_one_record_and_returns_the_first_answer(string mode)
    {
        var (first, repeat) = fixture.Clients(mode, GatewayHost.PersonToken());
        var path = NewPath();
        var key = Guid.NewGuid().ToString();

        using var created = await first.SendAsync(Post(path, key, """{"name":"clinic"}"""));
        using var replayed = await repeat.SendAsync(Post(path, key, """{"name":"clinic"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal(1, fixture.Backend.CountFor(path));
        Assert.Equal(await created.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal(created.Headers.Location, replayed.Headers.Location);
        Assert.Equal(created.Content.Headers.ContentType, replayed.Content.Headers.ContentType);
        Assert.Equal(["true"], replayed.Headers.GetValues("Idempotency-Replayed"));
        Assert.False(created.Headers.Contains("Idempotency-Replayed"));
        // A replay is still an answer of the gateway.
        Assert.Single(replayed.Headers.GetValues("X-Correlation-Id"));
        Assert.Equal(["nosniff"], replayed.Headers.GetValues("X-Content-Type-Options"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_same_key_with_another_body_is_422_and_not_forwarded(string mode)
    {
        var (first, repeat) = fixture.Clients(mode, GatewayHost.PersonToken());
        var path = NewPath();
        var key = Guid.NewGuid().ToString();

        using var created = await first.SendAsync(Post(path, key, """{"name":"clinic"}"""));
        using var mismatch = await repeat.SendAsync(Post(path, key, """{"name":"school"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        Assert.Equal("application/problem+json", mismatch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, fixture.Backend.CountFor(path));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_repeat_while_the_first_is_in_flight_is_409(string mode)
    {
        var (first, repeat) = fixture.Clients(mode, GatewayHost.PersonToken());
        var path = NewPath();
        var key = Guid.NewGuid().ToString();
        var held = fixture.Backend.Hold(path);

        var pending = first.SendAsync(Post(path, key, "{}"));
        await held.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var conflict = await repeat.SendAsync(Post(path, key, "{}"));
        held.Release.SetResult();
        using var created = await pending;

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, fixture.Backend.CountFor(path));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_server_error_is_not_stored_so_a_retry_goes_through(string mode)
    {
        var (first, repeat) = fixture.Clients(mode, GatewayHost.PersonToken());
        var path = NewPath() + "/fail";
        var key = Guid.NewGuid().ToString();

        using var failed = await first.SendAsync(Post(path, key, "{}"));
        using var retried = await repeat.SendAsync(Post(path, key, "{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, fixture.Backend.CountFor(path));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_services_in_progress_answer_is_not_kept_so_the_retry_goes_through(string mode)
    {
        var (first, repeat) = fixture.Clients(mode, GatewayHost.PersonToken());
        var path = NewPath() + "/busy";
        var key = Guid.NewGuid().ToString();

        // The service still holds the key (an earlier attempt was cut off there): the gateway passes its 409 on ...
        using var busy = await first.SendAsync(Post(path, key, "{}"));
        // ... and does not replay it: the retry reaches the service, which now does the work.
        using var retried = await repeat.SendAsync(Post(path, key, "{}"));

        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, fixture.Backend.CountFor(path));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Keys_belong_to_their_caller(string mode)
    {
        var (mine, _) = fixture.Clients(mode, GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}"));
        var (theirs, _) = fixture.Clients(mode, GatewayHost.PartnerToken($"partner-{Guid.NewGuid():N}"));
        var path = NewPath();
        var key = Guid.NewGuid().ToString();

        using var one = await mine.SendAsync(Post(path, key, "{}"));
        using var other = await theirs.SendAsync(Post(path, key, "{}"));

        Assert.False(other.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, fixture.Backend.CountFor(path));
    }

    [Fact]
    public async Task A_key_longer_than_200_characters_is_400_and_not_forwarded()
    {
        var (client, _) = fixture.Clients("memory", GatewayHost.PersonToken());
        var path = NewPath();

        using var response = await client.SendAsync(Post(path, new string('k', 201), "{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, fixture.Backend.CountFor(path));
    }

    [Fact]
    public async Task Posts_without_a_key_are_forwarded_every_time()
    {
        var (client, _) = fixture.Clients("memory", GatewayHost.PersonToken());
        var path = NewPath();

        await client.PostAsJsonAsync(path, new { name = "clinic" });
        await client.PostAsJsonAsync(path, new { name = "clinic" });

        Assert.Equal(2, fixture.Backend.CountFor(path));
    }

    [Fact]
    public async Task Anonymous_posts_are_never_replayed()
    {
        // Without a caller to scope the key by, a replay could hand one caller's token to another.
        var (client, _) = fixture.Clients("memory", GatewayHost.PersonToken());
        client.DefaultRequestHeaders.Authorization = null;
        var key = Guid.NewGuid().ToString();
        var before = fixture.Backend.CountFor("/connect/token");

        using var one = await client.SendAsync(Post("/connect/token", key, "grant_type=client_credentials"));
        using var two = await client.SendAsync(Post("/connect/token", key, "grant_type=client_credentials"));

        Assert.False(two.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(before + 2, fixture.Backend.CountFor("/connect/token"));
    }

    [Fact]
    public async Task Identity_admin_answers_are_never_stored()
    {
        // Registering a client answers with its secret: the route opts out rather than keep it in Redis for a day.
        var (client, _) = fixture.Clients("memory", GatewayHost.PersonToken());
        var path = $"/api/v1/identity/clients/{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();

        using var one = await client.SendAsync(Post(path, key, "{}"));
        using var two = await client.SendAsync(Post(path, key, "{}"));

        Assert.False(two.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, fixture.Backend.CountFor(path));
    }

    private static string NewPath() => $"/api/v1/stations/{Guid.NewGuid():N}";

    private static HttpRequestMessage Post(string path, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Header, key);
        return request;
    }
}
