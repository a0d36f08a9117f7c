using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using PracticeMesh.WebConsole.Auth;

namespace PracticeMesh.WebConsole;

internal static class ConsoleCulture
{
    /// <summary>GET /culture?name=en&amp;returnUrl=/…: remembers the language in a cookie and goes back.</summary>
    public static void MapConsoleCulture(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/culture", (HttpContext context, string? name, string? returnUrl) =>
        {
            var culture = ConsoleExtensions.Cultures.FirstOrDefault(c => c.Name == name) ?? ConsoleExtensions.Cultures[0];
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(ConsoleAuthentication.LocalOnly(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
}

/// <summary>
/// The console's own Content-Security-Policy (the gateway keeps a policy a response brings): its scripts and styles
/// from itself only (component styles are inline), images from itself and data: URIs (QR codes, charts), the
/// interactive connection to itself, forms only to itself and the identity service that signs people in and out.
/// </summary>
internal sealed class ConsoleSecurityHeaders(RequestDelegate next, ConsoleOptions options)
{
    private readonly string _policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
        $"frame-ancestors 'none'; form-action 'self' {new Uri(options.Authority!).GetLeftPart(UriPartial.Authority)}";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
