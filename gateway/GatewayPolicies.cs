namespace PracticeMesh.Gateway;

/// <summary>Authorization policies that routes name in configuration (<c>AuthorizationPolicy</c>).</summary>
public static class GatewayPolicies
{
    /// <summary>Any valid PracticeMesh token; the service behind the route checks scopes and division.</summary>
    public const string Authenticated = "authenticated";
}
