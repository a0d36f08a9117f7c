namespace PracticeMesh.Gateway;

/// <summary>The gateway's own settings (section <c>Gateway</c>); routes and clusters stay under <c>ReverseProxy</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest request body forwarded, in bytes; larger ones get 413 before any backend sees them.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Prefix of every Redis key the gateway writes (rate-limit counters, idempotency records). Idempotency-Key's own
    /// settings are <c>Gateway:Idempotency</c> (<see cref="PracticeMesh.ServiceDefaults.Http.Idempotency.IdempotencyOptions"/>).
    /// </summary>
    public string RedisKeyPrefix { get; set; } = "practicemesh:gateway:";

    public CorsSettings Cors { get; set; } = new();
    public RateLimitSettings RateLimiting { get; set; } = new();
    public OpenApiSettings OpenApi { get; set; } = new();
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Township cells of the activities and grid services (<c>Gateway:Cells</c>).</summary>
    public Cells.CellsOptions Cells { get; set; } = new();

    public sealed class CorsSettings
    {
        /// <summary>Browser origins allowed to call the API, e.g. https://dashboard.example.gov.cn.</summary>
        public string[] AllowedOrigins { get; set; } = [];
    }

    public sealed class RateLimitSettings
    {
        /// <summary>Per client (client_id, else sub) when the token carries no <c>rate_limit</c> claim.</summary>
        public int PerClientPermitsPerMinute { get; set; } = 600;
        /// <summary>Per remote IP, for every caller, authenticated or not.</summary>
        public int PerIpPermitsPerMinute { get; set; } = 1200;
    }

    public sealed class OpenApiSettings
    {
        /// <summary>How long the merged document is reused before the services are asked again.</summary>
        public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);
        /// <summary>How long to wait for one service's document; a slow or down service is left out.</summary>
        public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);
    }

    public sealed class ForwardedHeadersSettings
    {
        /// <summary>
        /// CIDR ranges of the ingress / load balancers whose X-Forwarded-For is trusted. Empty: the socket's address is the
        /// client's (per-IP limits would otherwise count the whole ingress as one caller).
        /// </summary>
        public string[] KnownNetworks { get; set; } = [];

        /// <summary>
        /// Clients reach the gateway without a proxy in between (no ingress, a load balancer that keeps their
        /// addresses): the one case where Production may run with no <see cref="KnownNetworks"/>.
        /// </summary>
        public bool ClientsConnectDirectly { get; set; }

        /// <summary>The networks, parsed; a start-up error names a range that is not CIDR notation.</summary>
        public IReadOnlyList<System.Net.IPNetwork> Networks() =>
        [
            .. KnownNetworks.Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException(
                    $"Gateway:ForwardedHeaders:KnownNetworks has '{network}', which is not a network in CIDR notation (e.g. 10.0.0.0/8)."))
        ];

        /// <summary>
        /// Refuses a Production gateway that trusts no proxy and was not told clients connect directly: behind an
        /// ingress every request would come from the ingress's address, so the per-IP limit would be one bucket for
        /// every caller in the county.
        /// </summary>
        public void EnsureUsable(bool production)
        {
            if (production && KnownNetworks.Length == 0 && !ClientsConnectDirectly)
            {
                throw new InvalidOperationException(
                    "Gateway:ForwardedHeaders:KnownNetworks is empty. Behind an ingress or load balancer the gateway would see every " +
                    "client as the proxy's address and count them all in one per-IP bucket. Set the proxy's address ranges " +
                    "(e.g. Gateway__ForwardedHeaders__KnownNetworks__0=10.0.0.0/8), or Gateway__ForwardedHeaders__ClientsConnectDirectly=true " +
                    "when clients reach the gateway with no proxy in between.");
            }
            _ = Networks();
        }
    }
}
