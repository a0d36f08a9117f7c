namespace PracticeMesh.Identity;

/// <summary>The <c>Identity</c> configuration section.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Serve the token endpoints over plain HTTP: only where TLS ends at an ingress, and in development.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Sign and encrypt with ephemeral keys made at start-up (tokens die with the process). Development and the
    /// standalone host only; production gives <see cref="SigningKey"/> and <see cref="EncryptionKey"/>.
    /// </summary>
    public bool UseDevelopmentKeys { get; set; }

    /// <summary>RSA private key (PEM) that signs access tokens; its public half is published in the JWKS.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// RSA private key (PEM) that encrypts the server's own tokens (refresh tokens); never leaves the service. Optional:
    /// without it a key is derived from <see cref="SigningKey"/>.
    /// </summary>
    public string? EncryptionKey { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Seed one demo person per role and the demo partner client (idempotent).</summary>
    public bool SeedDemo { get; set; }

    /// <summary>The web console's sign-in (<c>Identity:Console</c>).</summary>
    public ConsoleClientOptions Console { get; set; } = new();
}

/// <summary>
/// The web console (<c>practicemesh-console</c>), a public client that signs people in with the authorization code
/// flow and PKCE. Its addresses are configuration because each county serves the console under its own host name.
/// </summary>
public sealed class ConsoleClientOptions
{
    /// <summary>
    /// Where the console may receive an authorization code. None configured: the standalone host's console
    /// (http://localhost:5000) and the gateway's local port (http://localhost:5100), which reach only the browser's own
    /// machine; a county sets its public addresses instead (<c>Identity__Console__RedirectUris__0</c>, ...).
    /// </summary>
    public string[]? RedirectUris { get; set; }

    /// <summary>Where the console may send a person after signing out; defaults as for <see cref="RedirectUris"/>.</summary>
    public string[]? PostLogoutRedirectUris { get; set; }

    /// <summary>
    /// How long the sign-in page remembers a person (a cookie on <c>/connect</c>), so the console can ask for a new
    /// code without the password again; signing out ends it sooner.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    private static readonly string[] LocalOrigins = ["http://localhost:5000", "http://localhost:5100"];

    // Configuration binding appends to a list it finds, so the defaults are applied here rather than as initial values.
    public IReadOnlyList<Uri> EffectiveRedirectUris => Parse(RedirectUris, "RedirectUris", ["/signin-oidc", "/authentication/login-callback"]);

    public IReadOnlyList<Uri> EffectivePostLogoutRedirectUris =>
        Parse(PostLogoutRedirectUris, "PostLogoutRedirectUris", ["/", "/signout-callback-oidc", "/authentication/logout-callback"]);

    private static List<Uri> Parse(string[]? configured, string key, string[] defaultPaths)
    {
        var values = configured is { Length: > 0 } ? configured : [.. LocalOrigins.SelectMany(o => defaultPaths.Select(p => o + p))];
        return [.. values.Select(v => Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Fragment)
            ? uri
            : throw new InvalidOperationException($"Identity:Console:{key} has '{v}', which is not an absolute http(s) address without a fragment."))];
    }
}
