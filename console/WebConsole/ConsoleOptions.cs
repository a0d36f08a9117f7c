namespace PracticeMesh.WebConsole;

/// <summary>
/// Where the console signs people in and which API it calls (section <c>Console</c>). Every address defaults to
/// <c>Auth:Issuer</c>: in the standalone host the issuer, the API and the console are one process at one address.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The OpenID Connect client identity registers for the console (a public client: PKCE, no secret).</summary>
    public const string ClientId = "practicemesh-console";

    /// <summary>The issuer the browser is sent to for sign-in (the gateway's public address in distributed mode).</summary>
    public string? Authority { get; set; }

    /// <summary>Where this process reads the issuer's metadata and keys and redeems codes, when not under <see cref="Authority"/> (inside a cluster).</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The public API every call goes to (the gateway inside the cluster; the host itself when standalone).</summary>
    public string? ApiBaseAddress { get; set; }

    /// <summary>Only loopback and test set-ups turn this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a signed-in browser keeps its console session (identity's own session lasts 8 hours).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
