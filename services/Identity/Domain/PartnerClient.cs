using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Domain;

/// <summary>
/// A partner system (合作方系统: provincial volunteer platforms, dashboards, notifiers) that calls the API with
/// client credentials. What it may do is its registered scopes; where, its division scope prefix; how often, its
/// rate limit, which travels in its tokens so the gateway needs no lookup.
/// </summary>
public sealed partial class PartnerClient
{
    private PartnerClient() { }

    public string ClientId { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    /// <summary>Space-separated API scopes.</summary>
    public string Scopes { get; private set; } = "";
    /// <summary>A division code prefix of 2 to 12 digits.</summary>
    public string DivisionScope { get; private set; } = "";
    public int RateLimitPerMinute { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<PartnerClientSecret> Secrets { get; private set; } = [];

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static PartnerClient Register(string? clientId, string? displayName, IReadOnlyList<string>? scopes, string? division,
        int? rateLimitPerMinute, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var id = clientId?.Trim() ?? "";
        if (!ClientIdPattern().IsMatch(id))
        {
            errors["clientId"] = ["A client id of 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'."];
        }
        var display = displayName?.Trim() ?? "";
        if (display.Length is 0 or > 100)
        {
            errors["displayName"] = ["A display name of 1 to 100 characters is required."];
        }
        var wanted = scopes?.Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct().ToList() ?? [];
        if (wanted.Count == 0 || wanted.Any(s => !ApiScopes.All.Contains(s)))
        {
            errors["scopes"] = [$"One or more of: {string.Join(", ", ApiScopes.All)}."];
        }
        var prefix = division?.Trim() ?? "";
        if (prefix.Length is < 2 or > 12 || !prefix.All(char.IsAsciiDigit))
        {
            errors["division"] = ["A division code prefix of 2 to 12 digits is required."];
        }
        if (rateLimitPerMinute is not (>= 1 and <= 100_000))
        {
            errors["rateLimitPerMinute"] = ["Requests per minute, 1 to 100000."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        return new PartnerClient
        {
            ClientId = id,
            DisplayName = display,
            Scopes = string.Join(' ', ApiScopes.All.Where(wanted.Contains)),
            DivisionScope = prefix,
            RateLimitPerMinute = rateLimitPerMinute!.Value,
            CreatedAt = now,
        };
    }

    /// <summary>Adds a secret and returns it with its plain value, which is shown once and never stored.</summary>
    public (PartnerClientSecret Secret, string Value) AddSecret(DateTimeOffset now, DateTimeOffset? expiresAt, string? value = null)
    {
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new DomainValidationException("expiresAt", "A secret's expiry must lie in the future.");
        }
        value ??= PartnerClientSecret.Generate();
        var secret = new PartnerClientSecret(Guid.CreateVersion7(now), ClientId, PartnerClientSecret.HashOf(value), value[..4], now, expiresAt);
        Secrets.Add(secret);
        return (secret, value);
    }

    /// <summary>Removes a secret; the last usable one stays, so a mistaken delete cannot lock the partner out.</summary>
    public PartnerClientSecret RemoveSecret(Guid secretId, DateTimeOffset now)
    {
        var secret = Secrets.SingleOrDefault(s => s.Id == secretId) ?? throw new NotFoundException($"No secret {secretId} for client {ClientId}.");
        if (secret.IsUsable(now) && Secrets.Count(s => s.IsUsable(now)) == 1)
        {
            throw new ConflictException("This is the client's only usable secret: add a new one before removing it.");
        }
        Secrets.Remove(secret);
        return secret;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex ClientIdPattern();
}

/// <summary>
/// One of a partner's secrets. A client may hold several at once, so a new one can be rolled out before the old one
/// is removed (rotation without downtime). Stored as a SHA-256 hash: generated secrets carry 256 random bits, so a
/// slow password hash would add cost without adding safety.
/// </summary>
public sealed class PartnerClientSecret(Guid id, string clientId, string hash, string hint, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
{
    public Guid Id { get; private set; } = id;
    public string ClientId { get; private set; } = clientId;
    public string Hash { get; private set; } = hash;
    /// <summary>The first characters, so an operator can tell which secret a partner still uses.</summary>
    public string Hint { get; private set; } = hint;
    public DateTimeOffset CreatedAt { get; private set; } = createdAt;
    public DateTimeOffset? ExpiresAt { get; private set; } = expiresAt;

    public bool IsUsable(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Hash), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    public static string HashOf(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
