using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// The web console behind the gateway (distributed mode): every path no API route takes goes to the console's cluster
/// without a token (the console signs people in itself), with the public Host, and the console's own security headers;
/// its interactive connection (a WebSocket at /_blazor) passes through. The API's routes are unchanged.
/// </summary>
public sealed class ConsoleRouteTests : IAsyncLifetime
{
    /// <summary>The console's own policy, as its pages send it.</summary>
    private const string ConsolePolicy = "default-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'";

    private EchoBackend services = null!;
    private ConsoleStandIn console = null!;
    private WebApplicationFactory<GatewayMarker> gateway = null!;

    public async Task InitializeAsync()
    {
        services = await EchoBackend.StartAsync();
        console = await ConsoleStandIn.StartAsync();
        gateway = GatewayHost.Create(Settings());
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await console.DisposeAsync();
        await services.DisposeAsync();
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = GatewayHost.Settings(services.Address);
        settings["ReverseProxy:Clusters:console:Destinations:primary:Address"] = console.Address.ToString();
        return settings;
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/stations?under=321324104")]
    [InlineData("GET", "/grid/cases")]
    [InlineData("GET", "/_framework/blazor.web.js")]
    [InlineData("GET", "/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("GET", "/console.css")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/signin-oidc?code=c1&state=s1")]
    [InlineData("GET", "/signout-callback-oidc?state=s2")]
    [InlineData("GET", "/account/signin?returnUrl=%2Fstations")]
    [InlineData("POST", "/account/signout")]
    [InlineData("GET", "/culture?name=en&returnUrl=%2F")]
    public async Task Every_path_of_the_console_reaches_the_console_without_a_token_and_with_the_public_host(string method, string pathAndQuery)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        request.Headers.Host = "practicemesh.example.gov.cn";
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {pathAndQuery} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var seen = await response.Content.ReadFromJsonAsync<ConsoleRequest>();
        Assert.Equal(method, seen!.Method);
        Assert.Equal(pathAndQuery, seen.Path + seen.Query);
        // The console builds its redirect URI (…/signin-oidc) from the Host it sees: the public one, not its pod's.
        Assert.Equal("practicemesh.example.gov.cn", seen.Host);
        Assert.Equal("http", seen.ForwardedProto);
        Assert.Empty(services.Received);
    }

    [Fact]
    public async Task A_console_page_keeps_its_own_content_security_and_referrer_policies()
    {
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync("/stations");
        using var api = await client.PostAsync("/connect/token", new FormUrlEncodedContent([]));

        Assert.Equal([ConsolePolicy], page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["same-origin"], page.Headers.GetValues("Referrer-Policy"));
        Assert.Equal(["DENY"], page.Headers.GetValues("X-Frame-Options"));
        // The API's answers still get the deny-all policy and no referrer.
        Assert.Contains("default-src 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(["no-referrer"], api.Headers.GetValues("Referrer-Policy"));
    }

    [Theory]
    [InlineData("/api/v1/stations/x", "/api/v1/stations/x")]
    [InlineData("/api/v1/grid/cases", "/api/v1/grid/cases")]
    [InlineData("/connect/token", "/connect/token")]
    [InlineData("/.well-known/openid-configuration", "/.well-known/openid-configuration")]
    [InlineData("/open311/v2/services.json", "/open311/v2/services.json")]
    public async Task The_API_routes_still_reach_their_services(string path, string forwarded)
    {
        using var client = gateway.CreateClient().WithToken(GatewayHost.PersonToken());

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(forwarded, (await response.Content.ReadFromJsonAsync<EchoedRequest>())!.Path);
        Assert.Empty(console.Received);
    }

    [Theory]
    [InlineData("/api/v1/nope")]
    [InlineData("/api/v2/stations")]
    [InlineData("/api")]
    public async Task An_API_path_no_service_serves_is_a_404_problem_and_not_a_console_page(string path)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(console.Received);
    }

    [Fact]
    public async Task An_API_call_without_a_token_is_still_refused_by_the_gateway()
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/v1/stations?under=321324");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(console.Received);
        Assert.Empty(services.Received);
    }

    [Theory]
    [InlineData("/docs")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/ready")]
    public async Task The_gateways_own_pages_are_its_own(string path)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(console.Received);
    }

    [Fact]
    public async Task The_API_document_leaves_the_console_out()
    {
        using var client = gateway.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("paths").ValueKind);
        Assert.DoesNotContain(console.Received, r => r.Path.StartsWith("/openapi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_consoles_interactive_connection_passes_through_as_a_WebSocket()
    {
        // A gateway listening on a real socket: an in-memory test server cannot upgrade a connection.
        await using var listening = new WebApplicationFactory<GatewayMarker>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in Settings())
            {
                web.UseSetting(key, value);
            }
        });
        listening.UseKestrel(0);
        listening.StartServer();
        var address = new Uri(listening.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/_blazor?id=circuit-1"), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("echo: {\"protocol\":\"blazorpack\",\"version\":1}\u001e", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Contains(console.Received, r => r.Path == "/_blazor" && r.Query == "?id=circuit-1" && r.Method == "GET");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    /// <summary>What the console saw of a forwarded request.</summary>
    private sealed record ConsoleRequest(string Method, string Path, string Query, string Host, string? ForwardedProto, string? Authorization);

    /// <summary>
    /// A real Kestrel server standing in for the console: pages answered with what it received and the console's own
    /// headers, and an echoing WebSocket at /_blazor.
    /// </summary>
    private sealed class ConsoleStandIn : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly System.Collections.Concurrent.ConcurrentQueue<ConsoleRequest> received = new();

        private ConsoleStandIn(WebApplication app) => this.app = app;

        public Uri Address { get; private set; } = null!;

        public IReadOnlyCollection<ConsoleRequest> Received => received;

        public static async Task<ConsoleStandIn> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.Urls.Add("http://127.0.0.1:0");
            var standIn = new ConsoleStandIn(app);
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (context.Request.Path == "/health/ready")
                {
                    await context.Response.WriteAsync("Healthy");
                    return;
                }
                var seen = new ConsoleRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                    context.Request.Host.Value ?? "", context.Request.Headers["X-Forwarded-Proto"].FirstOrDefault(),
                    context.Request.Headers.Authorization.FirstOrDefault());
                standIn.received.Enqueue(seen);
                if (context.WebSockets.IsWebSocketRequest)
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    var buffer = new byte[1024];
                    var message = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    await socket.SendAsync(Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, message.Count)),
                        WebSocketMessageType.Text, true, context.RequestAborted);
                    // The client's close, answered so the handshake completes.
                    if ((await socket.ReceiveAsync(buffer, context.RequestAborted)).MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
                    }
                    return;
                }
                context.Response.Headers.ContentSecurityPolicy = ConsolePolicy;
                context.Response.Headers["Referrer-Policy"] = "same-origin";
                await context.Response.WriteAsJsonAsync(seen);
            });
            await app.StartAsync();
            var bound = app.Urls.Single();
            standIn.Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
            return standIn;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
