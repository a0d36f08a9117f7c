using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PracticeMesh.ServiceDefaults.Http;

/// <summary>Settings of <see cref="InputGuardMiddleware"/>, section <c>Requests</c>.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Requests";

    /// <summary>
    /// Longest request target (path and query) answered; a longer one is 414 with problem details. Kestrel's own
    /// request-line limit is set to <see cref="InputGuards.KestrelRequestLineBytes"/> above it, so only a line
    /// longer than that gets Kestrel's bare 414.
    /// </summary>
    public int MaxTargetLength { get; set; } = 8 * 1024;
}

/// <summary>Refuses, once for every service and host, input that would otherwise fail deep inside as a 500.</summary>
public static class InputGuards
{
    /// <summary>Kestrel answers a longer request line itself, before any middleware runs, with an empty 414.</summary>
    public const int KestrelRequestLineBytes = 64 * 1024;

    /// <summary>The date window, storable text in JSON bodies, and Kestrel's request-line limit above the app's own.</summary>
    public static void AddInputGuards(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AcceptedDatesOptions>().BindConfiguration(AcceptedDatesOptions.Section)
            .Validate(o => o.IsValid, "Dates:EarliestYear is 1900 to 2100 and Dates:YearsAhead 0 to 100.").ValidateOnStart();
        builder.Services.AddSingleton<AcceptedDates>();
        builder.Services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.Section)
            .Validate(o => o.MaxTargetLength is > 0 and < KestrelRequestLineBytes, $"Requests:MaxTargetLength is 1 to {KestrelRequestLineBytes - 1}.")
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new StorableStringConverter()));
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestLineSize = KestrelRequestLineBytes);
    }

    public static IApplicationBuilder UseInputGuards(this IApplicationBuilder app) => app.UseMiddleware<InputGuardMiddleware>();
}

/// <summary>
/// A request target over <see cref="RequestLimitsOptions.MaxTargetLength"/> is 414, and a query parameter whose name
/// or value is not <see cref="StorableText">storable</see> is 400 naming it; both as problem details. The path needs
/// no check: Kestrel refuses a decoded NUL in it before the application runs.
/// </summary>
internal sealed class InputGuardMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var length = string.IsNullOrEmpty(target) ? (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) : target.Length;
        if (length > options.Value.MaxTargetLength)
        {
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException($"The request target is {length} characters long; at most {options.Value.MaxTargetLength} are accepted.",
                StatusCodes.Status414UriTooLong);
        }
        if (request.QueryString.HasValue)
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var (name, values) in request.Query)
            {
                if (!StorableText.IsStorable(name) || values.Any(v => !StorableText.IsStorable(v)))
                {
                    (errors ??= [])[StorableText.IsStorable(name) ? name : "query"] = [StorableText.Problem];
                }
            }
            if (errors is not null)
            {
                throw new DomainValidationException(errors);
            }
        }
        return next(context);
    }
}
