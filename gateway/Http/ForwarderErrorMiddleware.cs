using System.Net.Sockets;
using PracticeMesh.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace PracticeMesh.Gateway.Http;

/// <summary>
/// What a caller sees when a service cannot be reached (it is restarting, or every replica is down): the request is
/// sent once more to another healthy destination of the cluster where that is safe, and otherwise answered 503
/// problem details with <c>Retry-After</c>, never a bare 502. Runs in YARP's proxy pipeline ahead of load balancing,
/// so each attempt picks a destination among those not yet tried, and the passive health check sees each failure.
/// </summary>
/// <remarks>
/// A retry is safe when the request cannot have reached the service (the connection was refused or never made), for
/// any method; and for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) after any failure before an answer came
/// back, since repeating them changes nothing more. A POST or PATCH that may have reached the service is not repeated,
/// Idempotency-Key or not: the key is honoured by the gateway's store of answers, which keeps no answer for a failed
/// attempt, and the services do not see it, so a second attempt after a lost answer could create the record twice.
/// The caller gets 503 and decides.
/// <para>
/// An answer is held back until the service has sent all of it (up to <see cref="HeldAnswerBytes"/>; a longer one,
/// an export, streams on from there): a service killed in the middle of an answer then still gives the caller a 503
/// to retry, instead of a connection cut after a 200's headers, which no client can tell from a network fault.
/// </para>
/// </remarks>
public sealed class ForwarderErrorMiddleware(RequestDelegate next, ILogger<ForwarderErrorMiddleware> logger)
{
    /// <summary>What a caller is asked to wait: about the time a restarting service needs to listen again.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>Attempts beyond the first, each on a destination not tried yet.</summary>
    public const int MaxRetries = 2;

    /// <summary>How much of an answer is held until the service has finished it; API answers are far smaller.</summary>
    public const int HeldAnswerBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        var callerBody = context.Response.Body;
        await using var held = new HeldAnswerStream(callerBody, HeldAnswerBytes);
        context.Response.Body = held;
        try
        {
            if (candidates.Count > 1)
            {
                await ForwardWithRetriesAsync(context, proxy, candidates);
            }
            else
            {
                await next(context);
            }
        }
        finally
        {
            context.Response.Body = callerBody;
        }

        if (context.Features.Get<IForwarderErrorFeature>() is { } failure && !context.Response.HasStarted)
        {
            // Whatever part of an answer came before the failure is dropped with it.
            await AnswerAsync(context, proxy, failure);
        }
        else
        {
            await held.ReleaseAsync(context.RequestAborted);
        }
    }

    private async Task ForwardWithRetriesAsync(HttpContext context, IReverseProxyFeature proxy, IReadOnlyList<DestinationState> candidates)
    {
        var request = context.Request;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            // A retry sends the body again; the size limit ahead of this keeps the buffer small.
            request.EnableBuffering();
        }
        var tried = new List<DestinationState>();
        for (var attempt = 0; ; attempt++)
        {
            await next(context);
            if (context.Features.Get<IForwarderErrorFeature>() is not { } failure || context.Response.HasStarted
                || attempt == MaxRetries || !MayRetry(request.Method, failure))
            {
                return;
            }
            if (proxy.ProxiedDestination is { } failed)
            {
                tried.Add(failed);
            }
            var left = candidates.Where(d => !tried.Contains(d)).ToList();
            if (left.Count == 0)
            {
                return;
            }
            // No stack trace: while a replica is down this is logged for many requests a second.
            logger.LogWarning("{Method} {Path}: {Destination} of cluster {Cluster} failed ({Error}: {Reason}); trying another destination.",
                request.Method, request.Path, proxy.ProxiedDestination?.DestinationId, proxy.Cluster.Config.ClusterId, failure.Error,
                failure.Exception?.Message);
            // Back to the state before the first attempt, with the destinations not yet tried.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            proxy.AvailableDestinations = left;
            if (request.Body.CanSeek)
            {
                request.Body.Position = 0;
            }
        }
    }

    public static bool MayRetry(string method, IForwarderErrorFeature failure) =>
        failure.Error == ForwarderError.Request
        && (NeverConnected(failure.Exception) || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method));

    /// <summary>The connection to the destination was never made, so nothing of the request reached it.</summary>
    private static bool NeverConnected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
                or SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }
        }
        return false;
    }

    private Task AnswerAsync(HttpContext context, IReverseProxyFeature proxy, IForwarderErrorFeature failure)
    {
        switch (failure.Error)
        {
            // The caller went away or sent a broken body: YARP's status stands (nobody may be listening).
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient:
                return Task.CompletedTask;
            case ForwarderError.RequestTimedOut:
                return Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "The service did not answer in time.",
                    "The request may or may not have taken effect; check before sending a change again.");
        }
        var cluster = proxy.Cluster?.Config.ClusterId;
        context.Response.ContentLength = null;
        logger.LogWarning("Answered 503 to {Method} {Path}: cluster {Cluster} unavailable ({Error}: {Reason})",
            context.Request.Method, context.Request.Path, cluster, failure.Error, failure.Exception?.Message);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A township cell names itself and its township: the other townships of the county are not affected.
        var what = context.Features.Get<Cells.CellRoute>() is { Township: { } township } route
            ? $"The {route.Service} service's cell {route.Cell} (serving township {township})"
            : $"The {cluster} service";
        var detail = failure.Error is ForwarderError.ResponseBodyDestination
            // The service stopped while answering: what was asked may have been done (a retry with the same
            // Idempotency-Key, or a look, tells).
            ? $"{what} stopped while answering; the request may have taken effect. Retry after {RetryAfterSeconds} s."
            : $"{what} could not be reached; retry after {RetryAfterSeconds} s.";
        return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The service is unavailable right now.", detail);
    }
}

/// <summary>
/// The caller's response body, holding what is written (and ignoring flushes) until <see cref="ReleaseAsync"/> or until
/// more than the limit has come; from then on it writes straight through. Until then the response has not started,
/// so a failure can still be answered properly.
/// </summary>
internal sealed class HeldAnswerStream(Stream caller, int limit) : Stream
{
    private MemoryStream? _held = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Sends what is held to the caller and writes through from then on.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_held is not { } held)
        {
            return;
        }
        _held = null;
        if (held.Length > 0)
        {
            await caller.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_held is { } held && held.Length + buffer.Length <= limit)
        {
            held.Write(buffer.Span);
            return;
        }
        await ReleaseAsync(cancellationToken);
        await caller.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _held is null ? caller.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush()
    {
        if (_held is null)
        {
            caller.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
