namespace PracticeMesh.Gateway.Http;

/// <summary>
/// Hardening headers on every response, proxied or not. The API answers JSON only, so the policy forbids everything;
/// the docs page is the one HTML page and runs Scalar's scripts and styles, so it gets no CSP.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string DocsPath = "/docs";

    public Task InvokeAsync(HttpContext context)
    {
        var isDocs = context.Request.Path.StartsWithSegments(DocsPath);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!isDocs)
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
