using Microsoft.AspNetCore.Http;

namespace PracticeMesh.WebConsole;

/// <summary>The console's own addresses, and the API paths it leaves to the host it shares (standalone).</summary>
public static class ConsoleRoutes
{
    public const string SignIn = "/account/signin";
    public const string SignOut = "/account/signout";

    private static readonly PathString[] ApiPaths =
        ["/api", "/connect", "/open311", "/health", "/openapi", "/docs", "/.well-known", "/scalar"];

    /// <summary>Whether <paramref name="path"/> belongs to the API (bearer tokens only) rather than to the console.</summary>
    public static bool IsApi(PathString path) => ApiPaths.Any(api => path.StartsWithSegments(api, StringComparison.OrdinalIgnoreCase));
}
