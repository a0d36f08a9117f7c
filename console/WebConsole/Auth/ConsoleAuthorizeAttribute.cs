using Microsoft.AspNetCore.Authorization;

namespace PracticeMesh.WebConsole.Auth;

/// <summary>
/// A console page for signed-in people: read from the console's cookie and, without one, the browser is sent to sign
/// in (not answered 401 as an API call would be). Roles narrow it as on any <see cref="AuthorizeAttribute"/>.
/// </summary>
public sealed class ConsoleAuthorizeAttribute : AuthorizeAttribute
{
    public const string PolicyName = "console-signed-in";

    public ConsoleAuthorizeAttribute() => Policy = PolicyName;
}
