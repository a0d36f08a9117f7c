using System.Text.RegularExpressions;

namespace PracticeMesh.Standalone;

/// <summary>
/// The standalone host issues its tokens and checks them itself (reading its own metadata over HTTP). Unless
/// <c>Auth:Issuer</c> is configured, the issuer is where the host listens, so moving it with ASPNETCORE_URLS, --urls
/// or ASPNETCORE_HTTP_PORTS moves its tokens too; behind a reverse proxy the tokens keep that inner address, which
/// the host itself can always reach.
/// </summary>
public static partial class StandaloneIssuer
{
    /// <summary>Kestrel's address when nothing names one.</summary>
    public const string DefaultAddress = "http://localhost:5000";

    /// <summary>
    /// Sets <c>Auth:Issuer</c> from the listening address when it is not configured, and registers the web console this
    /// host serves at that address as where identity may send sign-in codes and return after signing out (unless
    /// <c>Identity:Console:*</c> name addresses of their own).
    /// </summary>
    public static void DeriveFromListeningAddress(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["Auth:Issuer"]))
        {
            configuration["Auth:Issuer"] = FromListeningAddress(configuration).ToString();
        }
        var console = new Uri(configuration["Auth:Issuer"]!);
        if (!configuration.GetSection("Identity:Console:RedirectUris").GetChildren().Any())
        {
            configuration["Identity:Console:RedirectUris:0"] = new Uri(console, "signin-oidc").ToString();
        }
        if (!configuration.GetSection("Identity:Console:PostLogoutRedirectUris").GetChildren().Any())
        {
            configuration["Identity:Console:PostLogoutRedirectUris:0"] = new Uri(console, "signout-callback-oidc").ToString();
            configuration["Identity:Console:PostLogoutRedirectUris:1"] = console.ToString();
        }
    }

    /// <summary>The first address the host will listen on, with a wildcard host (+, *, 0.0.0.0, [::]) read as localhost.</summary>
    public static Uri FromListeningAddress(IConfiguration configuration)
    {
        var address = FirstOf(configuration[WebHostDefaults.ServerUrlsKey]);
        if (address is null && FirstOf(configuration["http_ports"]) is { } httpPort)
        {
            address = $"http://localhost:{httpPort}";
        }
        if (address is null && FirstOf(configuration["https_ports"]) is { } httpsPort)
        {
            address = $"https://localhost:{httpsPort}";
        }
        address ??= DefaultAddress;
        var match = ListenAddress().Match(address);
        if (!match.Success || match.Groups["port"].Value == "0")
        {
            throw new InvalidOperationException(
                $"The standalone host cannot tell its own address from '{address}'; set Auth:Issuer to the URL its clients use (e.g. http://localhost:5000/).");
        }
        var host = match.Groups["host"].Value is "+" or "*" or "0.0.0.0" or "[::]" ? "localhost" : match.Groups["host"].Value;
        var port = match.Groups["port"].Success ? $":{match.Groups["port"].Value}" : "";
        return new Uri($"{match.Groups["scheme"].Value}://{host}{port}/");
    }

    private static string? FirstOf(string? list) =>
        list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^:/]+)(?::(?<port>\d+))?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListenAddress();
}
