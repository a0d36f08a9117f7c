using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace PracticeMesh.WebConsole.Auth;

/// <summary>
/// A signed-in person's tokens for the API: the access token, when it expires, the refresh token, and when the console
/// session ends (the tokens are forgotten then).
/// </summary>
public sealed record ConsoleTokenSet(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, DateTimeOffset SessionEnds);

/// <summary>
/// The tokens of each console session, kept on the server (never in the browser) under the session's id, which is the
/// one thing the console's cookie adds to the person's claims. Kept in the host's distributed cache: Redis when the
/// console runs as replicas behind the gateway, so a refresh made by one replica is what the next request to another
/// uses (identity rotates refresh tokens: an old one used again would end the chain); process memory when standalone.
/// </summary>
public sealed class ConsoleTokenStore(IDistributedCache cache)
{
    private const string KeyPrefix = "console:tokens:";

    public async Task<ConsoleTokenSet?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var bytes = await cache.GetAsync(KeyPrefix + sessionId, cancellationToken);
        return bytes is null ? null : JsonSerializer.Deserialize<ConsoleTokenSet>(bytes);
    }

    public Task SetAsync(string sessionId, ConsoleTokenSet tokens, CancellationToken cancellationToken = default) =>
        cache.SetAsync(KeyPrefix + sessionId, JsonSerializer.SerializeToUtf8Bytes(tokens),
            new DistributedCacheEntryOptions { AbsoluteExpiration = tokens.SessionEnds }, cancellationToken);

    public Task RemoveAsync(string sessionId, CancellationToken cancellationToken = default) =>
        cache.RemoveAsync(KeyPrefix + sessionId, cancellationToken);
}
