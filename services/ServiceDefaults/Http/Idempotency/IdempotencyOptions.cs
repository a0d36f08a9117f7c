using Microsoft.AspNetCore.Http;

namespace PracticeMesh.ServiceDefaults.Http.Idempotency;

/// <summary>
/// Idempotency-Key settings (section <c>Idempotency</c> in a service or the standalone host; the gateway reads its
/// <c>Gateway:Idempotency</c> and its own body limit and Redis key prefix).
/// </summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a first answer is kept for replay.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
    /// <summary>How long a key stays locked while its first request runs; longer than the proxy's activity timeout.</summary>
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Responses larger than this are passed through but not stored (the key is released).</summary>
    public int MaxStoredResponseBytes { get; set; } = 1024 * 1024;
    /// <summary>Largest body read to fingerprint a keyed request; a larger one gets 413 (as at the gateway).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>Prefix of the Redis keys (<c>{prefix}idem:…</c>); empty: <c>practicemesh:{application name}:</c>.</summary>
    public string RedisKeyPrefix { get; set; } = "";

    /// <summary>
    /// An answer that may not have done what was asked although its status is below 500 (the gateway: a proxy error
    /// after the backend's headers): the key is released instead of stored.
    /// </summary>
    public Func<HttpContext, bool> AnswerFailed { get; set; } = _ => false;
}

/// <summary>
/// Endpoint metadata: POSTs whose answers must not be stored or replayed (tokens, client secrets). Keys sent to
/// them are ignored.
/// </summary>
public sealed class SkipIdempotencyMetadata
{
    public static readonly SkipIdempotencyMetadata Instance = new();

    private SkipIdempotencyMetadata() { }
}
