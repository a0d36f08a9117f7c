using Microsoft.AspNetCore.WebUtilities;

namespace PracticeMesh.Grid.Open311;

/// <summary>
/// Every error under <c>/open311/v2</c> in the spec's own format (<c>[{"code":400,"description":"…"}]</c>, or
/// <c>&lt;errors&gt;&lt;error&gt;…</c> for an <c>.xml</c> path) instead of RFC 7807: Open311 clients read only that.
/// It takes the place of the problem details writer for those paths, so whatever answers the error — a domain rule
/// thrown by a handler, the input guards, an unknown path or method, a database that did not answer (503) — speaks
/// Open311 there, and the rest of the host keeps problem details.
/// </summary>
public sealed class Open311ErrorWriter : IProblemDetailsWriter
{
    public const string PathPrefix = "/open311/v2";

    public static bool Serves(HttpContext context) => context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    public bool CanWrite(ProblemDetailsContext context) => Serves(context.HttpContext);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? (http.Response.StatusCode >= 400 ? http.Response.StatusCode : StatusCodes.Status400BadRequest);
        var descriptions = context.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } validation
            ? validation.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))
            : [context.ProblemDetails.Detail ?? context.ProblemDetails.Title ?? DefaultDescription(status)];
        var format = Open311Output.FormatOf(http.Request.Path.Value);
        http.Response.StatusCode = status;
        http.Response.ContentType = format == Open311Format.Xml ? Open311Output.XmlContentType : Open311Output.JsonContentType;
        await http.Response.WriteAsync(Open311Output.Errors(format, status, descriptions), http.RequestAborted);
    }

    private static string DefaultDescription(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such resource: see discovery for the endpoints.",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this resource.",
        StatusCodes.Status403Forbidden => "Forbidden.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
