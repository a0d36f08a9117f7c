namespace PracticeMesh.Gateway.Http;

/// <summary>
/// Hardening headers on every response, proxied or not. The API answers JSON only, so the policy forbids everything;
/// the docs page runs Scalar's scripts and styles, so it gets no CSP; identity's sign-in page and the console's pages
/// keep the one they send.
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
            // The console's pages name their own (same-origin); everything else sends no referrer.
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = "no-referrer";
            }
            // A service's own HTML page (identity's sign-in page) brings its own policy, which allows its form and
            // nothing else; JSON answers bring none and get the deny-all one.
            if (!isDocs && !headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
