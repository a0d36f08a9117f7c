using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace PracticeMesh.ServiceDefaults.Http;

/// <summary>Answers written by middleware (before any endpoint runs), in the same problem details as every other error.</summary>
public static class Problems
{
    /// <summary>Answers with RFC 7807 problem details through the shared writer, so traceId and instance match the services'.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The caller's Accept header ruled out JSON; problem+json is still the only body this API speaks.
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }
}
