using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.ServiceDefaults.Http.Idempotency;

/// <summary>
/// Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the first answer for a caller's key is
/// stored and replayed to every repeat without calling the backend again, so a partner can retry a create safely.
/// One implementation for both modes: the gateway runs it in its proxy pipeline (after authentication, authorization,
/// rate limits and the size limit); a host of modules (a service, the standalone host) after authorization, so a
/// partner talking to the one-box host gets the same answers.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next, IIdempotencyStore store, IOptions<IdempotencyOptions> options, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    /// <summary>
    /// Marks the answer "a request with this key is in progress". A tier in front (the gateway before a service) must
    /// not keep that answer as the key's outcome: the first request may yet fail (its service killed mid-way) and the
    /// key must stay usable for the retry that follows.
    /// </summary>
    public const string InProgressHeader = "Idempotency-In-Progress";
    public const int MaxKeyLength = 200;

    private const string PendingMark = "p|";
    private const string CompletedMark = "c|";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Headers.TryGetValue(HeaderName, out var values) || IsSkipped(context))
        {
            await next(context);
            return;
        }
        var idempotencyKey = values.ToString();
        if (values.Count != 1 || idempotencyKey.Length is 0 or > MaxKeyLength)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key.",
                $"Send one Idempotency-Key of 1 to {MaxKeyLength} characters.");
            return;
        }
        var user = context.User;
        var caller = user.FindFirst(PracticeMeshClaims.ClientId)?.Value ?? user.FindFirst(PracticeMeshClaims.Subject)?.Value;
        if (user.Identity?.IsAuthenticated != true || caller is null)
        {
            // Keys are scoped by caller; without one, a replay could hand one caller's answer (a token!) to another.
            await next(context);
            return;
        }

        var settings = options.Value;
        var body = await ReadBodyAsync(request, settings.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
                $"At most {settings.MaxRequestBodyBytes} bytes are accepted.");
            return;
        }
        var fingerprint = Fingerprint(request, body);
        var storeKey = Hex(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller}\n{idempotencyKey}")));
        var pending = $"{PendingMark}{Guid.NewGuid():N}|{fingerprint}";

        string? existing;
        try
        {
            existing = await store.TryClaimAsync(storeKey, pending, settings.InFlightTimeout);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Forwarding without the key could create twice what the caller asked to create once: refuse instead.
            logger.LogWarning(ex, "Idempotency store unavailable.");
            context.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Idempotency-Key cannot be honoured right now.",
                "Retry shortly.");
            return;
        }
        if (existing is not null)
        {
            await AnswerRepeatAsync(context, existing, fingerprint);
            return;
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        var originalBody = context.Response.Body;
        using var capture = new CapturingStream(originalBody, settings.MaxStoredResponseBytes);
        context.Response.Body = capture;
        var stored = false;
        try
        {
            await next(context);
            var response = context.Response;
            // 5xx and transport failures may not have changed anything: let the caller retry with the same key.
            if (response.StatusCode < 500 && !capture.Overflowed && !settings.AnswerFailed(context)
                && !response.Headers.ContainsKey(InProgressHeader))
            {
                var record = new StoredResponse(fingerprint, response.StatusCode, response.ContentType,
                    response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, capture.Captured);
                // The answer is on its way to the caller: Redis failing now must not break it, nor free the key for a
                // second create (the pending mark lapses after InFlightTimeout).
                stored = true;
                try
                {
                    await store.CompleteAsync(storeKey, pending, CompletedMark + JsonSerializer.Serialize(record), settings.Retention);
                }
                catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
                {
                    logger.LogWarning(ex, "Could not store the answer for an idempotency key.");
                }
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (!stored)
            {
                await ReleaseQuietlyAsync(storeKey, pending);
            }
        }
    }

    private static bool IsSkipped(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<SkipIdempotencyMetadata>() is not null;

    private async Task AnswerRepeatAsync(HttpContext context, string existing, string fingerprint)
    {
        if (existing.StartsWith(PendingMark, StringComparison.Ordinal))
        {
            if (!existing.EndsWith("|" + fingerprint, StringComparison.Ordinal))
            {
                await MismatchAsync(context);
                return;
            }
            context.Response.Headers[InProgressHeader] = "true";
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is in progress.",
                "Retry once the first request has completed.");
            return;
        }
        var record = JsonSerializer.Deserialize<StoredResponse>(existing.AsSpan(CompletedMark.Length))
            ?? throw new InvalidOperationException("Corrupt idempotency record.");
        if (record.Fingerprint != fingerprint)
        {
            await MismatchAsync(context);
            return;
        }
        var response = context.Response;
        response.StatusCode = record.Status;
        if (record.ContentType is not null)
        {
            response.ContentType = record.ContentType;
        }
        if (record.Location is not null)
        {
            response.Headers.Location = record.Location;
        }
        response.Headers[ReplayedHeader] = "true";
        response.ContentLength = record.Body.Length;
        await response.Body.WriteAsync(record.Body, context.RequestAborted);
    }

    private static Task MismatchAsync(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with a different request.",
            "This key was first used for a different request; use a new key for a new request.");

    private async Task ReleaseQuietlyAsync(string storeKey, string pending)
    {
        try
        {
            await store.ReleaseAsync(storeKey, pending);
        }
        catch (Exception ex)
        {
            // The lock then lapses after InFlightTimeout; the caller's retry gets 409 until it does.
            logger.LogWarning(ex, "Could not release an idempotency key.");
        }
    }

    /// <summary>The request a key stands for: method, target and body.</summary>
    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        hash.AppendData(body);
        return Hex(hash.GetHashAndReset());
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The whole body, or null when it is larger than <paramref name="max"/> (a chunked body has no declared length).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed record StoredResponse(string Fingerprint, int Status, string? ContentType, string? Location, byte[] Body);

    /// <summary>Passes the response through unchanged and keeps a copy of it, up to a limit.</summary>
    private sealed class CapturingStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream copy = new();

        public bool Overflowed { get; private set; }
        public byte[] Captured => copy.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> data)
        {
            if (Overflowed)
            {
                return;
            }
            if (copy.Length + data.Length > limit)
            {
                Overflowed = true;
                copy.SetLength(0);
                return;
            }
            copy.Write(data);
        }

        protected override void Dispose(bool disposing)
        {
            // The inner stream belongs to the server.
            if (disposing)
            {
                copy.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
