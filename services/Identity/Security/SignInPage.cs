using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// The sign-in page (登录) the authorization endpoint shows: a server-rendered form in Chinese, with no script and no
/// external file, so it works behind the gateway's strict policy and on any phone. Its one inline style is allowed by
/// hash, so nothing else on the page can run or load.
/// </summary>
internal static class SignInPage
{
    public const string UserNameField = "username";
    public const string PasswordField = "password";
    public const string ReturnUrlField = "returnUrl";

    private const string Style =
        "body{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;background:#f5f5f5;margin:0;color:#222}" +
        "main{max-width:22rem;margin:12vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}" +
        "h1{font-size:1.4rem;margin:0 0 1.5rem;color:#b71c1c}label{display:block;margin:1rem 0 .3rem}" +
        "input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #767676;border-radius:4px}" +
        "button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1.05rem;background:#b71c1c;color:#fff;border:0;border-radius:4px;cursor:pointer}" +
        "button:focus,input:focus{outline:3px solid #1565c0;outline-offset:1px}" +
        ".error{background:#fdecea;color:#8a1c1c;border:1px solid #f5c2c0;padding:.6rem;border-radius:4px}";

    // Chinese as it is, not as character references: the page is UTF-8.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly string StyleHash = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) + "'";

    /// <summary>The form, with a fresh antiforgery token, <paramref name="error"/> (plain words) above it when given.</summary>
    public static IResult Form(HttpContext http, IAntiforgery antiforgery, IReadOnlyList<Uri> consoleAddresses, string returnUrl, string? userName,
        string? error, int statusCode = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = Html;
        var body = new StringBuilder();
        body.Append("<main><h1>新时代文明实践 · 登录</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"error\">").Append(html.Encode(error)).Append("</p>");
        }
        var described = error is null ? "" : " aria-describedby=\"error\"";
        body.Append("<form method=\"post\" action=\"signin\">")
            .Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? "")).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(ReturnUrlField).Append("\" value=\"").Append(html.Encode(returnUrl)).Append("\">")
            .Append("<label for=\"username\">用户名</label>")
            .Append("<input id=\"username\" name=\"").Append(UserNameField).Append("\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required")
            .Append(described).Append(" value=\"").Append(html.Encode(userName ?? "")).Append('"').Append(string.IsNullOrEmpty(userName) ? " autofocus" : "").Append('>')
            .Append("<label for=\"password\">密码</label>")
            .Append("<input id=\"password\" name=\"").Append(PasswordField).Append("\" type=\"password\" autocomplete=\"current-password\" required")
            .Append(described).Append(string.IsNullOrEmpty(userName) ? "" : " autofocus").Append('>')
            .Append("<button type=\"submit\">登录</button></form></main>");
        return Page(http, consoleAddresses, "登录", body.ToString(), statusCode);
    }

    /// <summary>A page that only says something (signed out, or a request that cannot go on), in plain words.</summary>
    public static IResult Message(HttpContext http, string title, string message, int statusCode) =>
        Page(http, [], title, "<main><h1>" + Html.Encode(title) + "</h1><p>" + Html.Encode(message) + "</p></main>", statusCode);

    private static IResult Page(HttpContext http, IReadOnlyList<Uri> consoleAddresses, string title, string body, int statusCode)
    {
        var headers = http.Response.Headers;
        // The form posts here; the answer redirects (through the authorization endpoint) to the console, which some
        // browsers hold to form-action as well.
        var formTargets = string.Join(' ', consoleAddresses.Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase));
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src {StyleHash}; form-action 'self' {formTargets}; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        var page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>" + Html.Encode(title) + " - 新时代文明实践</title><style>" + Style + "</style></head><body>" + body + "</body></html>";
        return Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
