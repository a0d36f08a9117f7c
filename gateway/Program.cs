using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.HttpOverrides;
using PracticeMesh.Gateway;
using PracticeMesh.Gateway.Cells;
using PracticeMesh.Gateway.Http;
using PracticeMesh.Gateway.OpenApi;
using PracticeMesh.Gateway.RateLimiting;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Dapr;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

var builder = WebApplication.CreateBuilder(args);
var dapr = builder.Configuration.GetValue<bool>(DaprOptions.EnabledKey);
if (dapr)
{
    // First: secrets may hold the settings the defaults read as they register (Redis).
    ReadDaprSecrets(builder);
}

// No modules: the gateway owns no database and no bus. ServiceDefaults brings telemetry, health, problem details,
// Redis (when ConnectionStrings:redis is set) and JWT bearer authentication against Auth:Issuer.
builder.AddServiceDefaults();
var gatewaySection = builder.Configuration.GetSection(GatewayOptions.Section);
builder.Services.AddOptions<GatewayOptions>().Bind(gatewaySection);
var gateway = gatewaySection.Get<GatewayOptions>() ?? new GatewayOptions();

// Routes name these in configuration (AuthorizationPolicy); which scope a call needs is each service's business.
builder.Services.AddAuthorizationBuilder().AddPolicy(GatewayPolicies.Authenticated, policy => policy.RequireAuthenticatedUser());

builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
    .WithOrigins(gateway.Cors.AllowedOrigins)
    .AllowAnyHeader()
    .AllowAnyMethod()
    // Browser clients read these from cross-origin answers.
    .WithExposedHeaders(CorrelationIdMiddleware.HeaderName, "Location", "Retry-After", IdempotencyMiddleware.ReplayedHeader)
    .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

builder.Services.AddGatewayRateLimiting();
// The same Idempotency-Key middleware and store as a host of modules, with the gateway's settings, body limit and key prefix.
builder.AddIdempotency(gatewaySection.GetSection("Idempotency")).PostConfigure(idempotency =>
{
    idempotency.MaxRequestBodyBytes = gateway.MaxRequestBodyBytes;
    idempotency.RedisKeyPrefix = gateway.RedisKeyPrefix;
    // A backend that failed after its headers were sent may not have done the work: let the caller retry.
    idempotency.AnswerFailed = context => context.Features.Get<IForwarderErrorFeature>() is not null;
});

builder.Services.AddSingleton<OpenApiAggregator>();
// Which township cell serves each township (Gateway:Cells:File, reloaded while running) and the county-wide reads.
builder.Services.AddTownshipCells();

// Before anything listens: a gateway behind an ingress that trusts none of it would rate-limit the whole county as one IP.
gateway.ForwardedHeaders.EnsureUsable(builder.Environment.IsProduction());
if (gateway.ForwardedHeaders.KnownNetworks.Length > 0)
{
    var networks = gateway.ForwardedHeaders.Networks();
    builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
    {
        // The client's address and scheme from the ingress. The Host header is the public one already (ingresses pass it
        // on); the proxy sends it on to the services as X-Forwarded-Host, and identity's discovery answers with it.
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        foreach (var network in networks)
        {
            forwarded.KnownIPNetworks.Add(network);
        }
    });
}

// Routes and clusters live in configuration so destinations can be swapped per environment
// (ReverseProxy__Clusters__<name>__Destinations__primary__Address).
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    // Health checks, HTTP version and timeouts shared by every cluster.
    .AddConfigFilter<ClusterDefaults>()
    .ConfigureHttpClient((_, handler) =>
    {
        // Keep-alive connections stick to one pod behind a Kubernetes Service; recycling them spreads load after scale-out.
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
        // A service that is gone without refusing (a pod's address no longer answering) fails fast enough to try another.
        handler.ConnectTimeout = TimeSpan.FromSeconds(2);
    });
if (dapr)
{
    // Every cluster through its sidecar's service invocation (see DaprInvocation).
    InvokeThroughDapr(builder);
}

var app = builder.Build();

if (gateway.ForwardedHeaders.KnownNetworks.Length > 0)
{
    // First, so per-IP limits and logs see the client rather than the ingress.
    app.UseForwardedHeaders();
}
app.UseMiddleware<SecurityHeadersMiddleware>();
// CORS must answer preflights before authentication would turn them into 401s, so it runs ahead of
// MapServiceDefaults; those short-circuited answers get their correlation id here.
app.UseWhen(IsPreflight, preflight => preflight.UseMiddleware<CorrelationIdMiddleware>());
app.UseCors();
// Exception handler, status-code problem details (the 401s), correlation id, authentication, authorization, health.
app.MapServiceDefaults();
// After authentication, so the per-client limit knows the client.
app.UseRateLimiter();

// A literal route, so it wins over ServiceDefaults' /openapi/{documentName}.json (the gateway's own, empty document).
app.MapGet(OpenApiAggregator.DocumentPath, async (HttpContext context, OpenApiAggregator documents) =>
        Results.Text((await documents.GetAsync($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}",
            context.RequestAborted)).ToJsonString(OpenApiAggregator.JsonOptions), "application/json"))
    .AllowAnonymous()
    .ExcludeFromDescription();
app.MapScalarApiReference(SecurityHeadersMiddleware.DocsPath, options => options
    .WithTitle("PracticeMesh API")
    .AddDocument("v1", "PracticeMesh API", OpenApiAggregator.DocumentPath)
    .AddPreferredSecuritySchemes(OpenApiAggregator.OAuth2Scheme, OpenApiAggregator.BearerScheme)
    .AddClientCredentialsFlow(OpenApiAggregator.OAuth2Scheme, flow => flow.WithTokenUrl("/connect/token")))
    .AllowAnonymous();

// The console's route catches every path no other route takes (gateway/appsettings.json, route "console"); an API path
// (or an Open311 version) no service serves stays a 404 problem of the gateway's rather than a console page.
foreach (var apiPrefix in new[] { "/api", "/open311" })
{
    app.Map(apiPrefix + "/{**rest}", (HttpContext context) => Problems.WriteAsync(context, StatusCodes.Status404NotFound, "No such API path.",
            $"No service of the API answers {context.Request.Path}."))
        .AllowAnonymous()
        .ExcludeFromDescription();
}

app.MapReverseProxy(proxy =>
{
    proxy.UseMiddleware<RequestSizeLimitMiddleware>();
    // The township's cell, after the size limit (it may read a JSON body) and before the retries and 503s, which then
    // concern that cell; a request it answers itself (no cell for the township, a county-wide list) is not stored.
    proxy.UseMiddleware<CellRoutingMiddleware>();
    proxy.UseMiddleware<IdempotencyMiddleware>();
    // Another destination when one cannot be reached, else 503 with Retry-After; ahead of load balancing, which it repeats.
    proxy.UseMiddleware<ForwarderErrorMiddleware>();
    // YARP's own steps, which a custom pipeline must list itself.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
}).ConfigureEndpoints((endpoint, route) =>
{
    // Route metadata "Idempotency": "off": answers that must not be stored (tokens, client secrets).
    if (route.Metadata?.TryGetValue("Idempotency", out var idempotency) == true && string.Equals(idempotency, "off", StringComparison.OrdinalIgnoreCase))
    {
        endpoint.SkipIdempotency();
    }
});

app.Run();

// The Dapr calls sit in functions of their own, compiled only when called: with Dapr off no Dapr assembly is loaded.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ReadDaprSecrets(WebApplicationBuilder builder) => builder.AddDaprSecretStore();

[MethodImpl(MethodImplOptions.NoInlining)]
static void InvokeThroughDapr(WebApplicationBuilder builder)
{
    builder.Services.AddSingleton(DaprOptions.From(builder.Configuration));
    builder.Services.AddSingleton<IProxyConfigFilter, DaprInvocation>();
    builder.Services.AddSingleton<ITransformProvider, DaprInvocationErrors>();
}

static bool IsPreflight(HttpContext context) =>
    HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method");
