using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.ServiceDefaults;
using StackExchange.Redis;

namespace PracticeMesh.Activities.Attendance;

/// <summary>A QR token that checked out: which activity, when it was shown, and its one-off nonce.</summary>
public sealed record QrTokenClaims(Guid ActivityId, DateTimeOffset IssuedAt, string Nonce);

/// <summary>
/// The rotating QR code shown at the venue: <c>activityId.issuedAtMs.nonce.signature</c>, HMAC-SHA256 signed with
/// <see cref="ActivitiesOptions.QrSigningKey"/>, so any replica can check it without a lookup; short-lived, so a
/// photo of the screen sent to a friend at home is soon worthless.
/// </summary>
public sealed class QrTokenSigner
{
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;

    public QrTokenSigner(ActivitiesOptions options)
    {
        // Every replica must share the key; only a single development process (the standalone demo, tests) may make
        // its own.
        _key = !string.IsNullOrWhiteSpace(options.QrSigningKey) ? Convert.FromBase64String(options.QrSigningKey)
            : options.UseDevelopmentKey ? RandomNumberGenerator.GetBytes(32)
            : throw new InvalidOperationException(
                "Activities:QrSigningKey is required (base64 of 32 random bytes, shared by every replica); only a development host may set Activities:UseDevelopmentKey=true instead.");
        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Activities:QrSigningKey must be at least 32 bytes (base64).");
        }
        _lifetime = options.QrLifetime;
    }

    public TimeSpan Lifetime => _lifetime;

    public string Issue(Guid activityId, DateTimeOffset issuedAt)
    {
        var payload = $"{activityId:N}.{issuedAt.ToUnixTimeMilliseconds()}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12))}";
        return $"{payload}.{Sign(payload)}";
    }

    /// <summary>Checks signature, activity and age at <paramref name="at"/> (the scan's time).</summary>
    public QrTokenClaims Validate(string? token, Guid activityId, DateTimeOffset at)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 4 || !Guid.TryParseExact(parts[0], "N", out var id) || !long.TryParse(parts[1], out var ms))
        {
            throw new DomainValidationException("token", "Not a QR token of this service.");
        }
        var payload = $"{parts[0]}.{parts[1]}.{parts[2]}";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(parts[3])))
        {
            throw new DomainValidationException("token", "The QR token's signature is not valid.");
        }
        if (id != activityId)
        {
            throw new DomainValidationException("token", "The QR token belongs to another activity.");
        }
        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (at < issuedAt - Activity.ClockSkew || at > issuedAt + _lifetime)
        {
            throw new ConflictException("The QR token has expired; scan the code currently shown at the venue.");
        }
        return new QrTokenClaims(id, issuedAt, parts[2]);
    }

    private string Sign(string payload) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload)));
}

/// <summary>Remembers which QR tokens were used by whom, so a token serves each volunteer once (in Redis when configured).</summary>
public interface IQrTokenUseStore
{
    /// <summary>Atomically marks <paramref name="key"/> used; false when it already was.</summary>
    Task<bool> TryMarkUsedAsync(string key, TimeSpan keepFor);

    /// <summary>Forgets a mark whose check-in was not recorded after all, so the token still serves its volunteer.</summary>
    Task ForgetAsync(string key);
}

/// <summary>Shared by all replicas: SET NX with an expiry.</summary>
public sealed class RedisQrTokenUseStore(IConnectionMultiplexer redis) : IQrTokenUseStore
{
    public Task<bool> TryMarkUsedAsync(string key, TimeSpan keepFor) =>
        redis.GetDatabase().StringSetAsync(Key(key), 1, keepFor, When.NotExists);

    public Task ForgetAsync(string key) => redis.GetDatabase().KeyDeleteAsync(Key(key));

    private static RedisKey Key(string key) => $"activities:qr-used:{key}";
}

/// <summary>One process only (standalone, tests); expiry follows the injected clock.</summary>
public sealed class InMemoryQrTokenUseStore(TimeProvider time) : IQrTokenUseStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new();

    public Task<bool> TryMarkUsedAsync(string key, TimeSpan keepFor)
    {
        var now = time.GetUtcNow();
        if (_used.Count > 10_000)
        {
            foreach (var (k, until) in _used)
            {
                if (until < now)
                {
                    _used.TryRemove(k, out _);
                }
            }
        }
        var added = _used.TryAdd(key, now + keepFor);
        if (!added && _used.TryGetValue(key, out var expires) && expires < now)
        {
            // An expired mark is as good as none.
            added = _used.TryUpdate(key, now + keepFor, expires);
        }
        return Task.FromResult(added);
    }

    public Task ForgetAsync(string key)
    {
        _used.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
