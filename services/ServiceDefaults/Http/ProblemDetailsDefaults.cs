using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace PracticeMesh.ServiceDefaults.Http;

internal static class ProblemDetailsDefaults
{
    /// <summary>RFC 7807 problem details for every error; domain rule violations map to 400/404/409, never 500.</summary>
    public static void AddProblemDetailsDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        // Binding failures (malformed JSON, a bad enum) throw so the handler below can name the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
    }
}

/// <summary>Turns the domain's exceptions and malformed requests into problem details.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>How long a client is asked to wait before retrying when the service is too busy or a dependency unreachable.</summary>
    internal const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = UnavailableDependency(exception);
        if (unavailable is { } dependency)
        {
            // A dependency the request waits on is busy or down (every pooled connection busy for the pool's whole
            // wait, the database or Redis unreachable): the request may succeed if sent again, so say so
            // (503 + Retry-After) rather than answer a bare 500. No stack trace: in an outage this is logged for
            // many requests a second.
            logger.LogWarning("Answered 503 to {Method} {Path}: {Dependency}: {Reason}", httpContext.Request.Method, httpContext.Request.Path,
                dependency.Name, dependency.Failure.Message);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        var problem = exception switch
        {
            _ when unavailable is { } failed => new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is busy.",
                Detail = $"{failed.Name} did not answer in time; retry after {RetryAfterSeconds} s.",
            },
            DomainValidationException v => new HttpValidationProblemDetails(v.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            NotFoundException nf => new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = nf.Message,
            },
            ForbiddenException f => new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = f.Message,
            },
            ConflictException c => new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = c.Message,
            },
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [FieldName(json.Path)] = [json.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is malformed.",
            },
            BadHttpRequestException bad => new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = bad.StatusCode, Title = "The request is malformed.", Detail = bad.InnerException?.Message ?? bad.Message,
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// The dependency that failed in a way worth retrying, anywhere in the chain: a database failure the provider
    /// marks as transient (pool wait or connect timed out, connection lost), Redis unreachable or too slow, or
    /// another service unreachable through an HttpClient (transport failure, open circuit, timeout).
    /// </summary>
    private static (string Name, Exception Failure)? UnavailableDependency(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                    return ("The database", e);
                case RedisConnectionException or RedisTimeoutException:
                    return ("Redis", e);
                case HttpRequestException { StatusCode: null } or BrokenCircuitException or TimeoutRejectedException:
                    return ("A service this one calls", e);
            }
        }
        return null;
    }

    // "$.kind" -> "kind"; the body as a whole when the path is unknown.
    private static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');
}
