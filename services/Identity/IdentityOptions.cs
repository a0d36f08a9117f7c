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
}
