using Microsoft.AspNetCore.Authorization;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Volunteers.Api;

/// <summary>
/// Authorization policies beside the per-scope ones: a person reaches their own record (the token's
/// <c>volunteer_id</c> equals the route's <c>{id}</c>) without the admin scope that reaches everyone's in a division.
/// Which record a caller may touch is still decided by <see cref="Caller.EnsureActsFor"/> in the handler.
/// </summary>
public static class VolunteerPolicies
{
    /// <summary>volunteers.read, or the caller's own record.</summary>
    public const string ReadOrSelf = "volunteers.read-or-self";

    /// <summary>volunteers.write, or the caller's own record (a volunteer issues their own certificate).</summary>
    public const string WriteOrSelf = "volunteers.write-or-self";

    /// <summary>
    /// Joining and leaving a team: admins (volunteers.write), and anyone who takes part in activities
    /// (activities.attend: a volunteer for themselves, a team leader for their members).
    /// </summary>
    public const string TeamMembership = "volunteers.team-membership";

    public static void Add(AuthorizationOptions authorization)
    {
        authorization.AddPolicy(ReadOrSelf, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => Caller.HasScope(context.User, ApiScopes.VolunteersRead) || IsOwnRecord(context)));
        authorization.AddPolicy(WriteOrSelf, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => Caller.HasScope(context.User, ApiScopes.VolunteersWrite) || IsOwnRecord(context)));
        authorization.AddPolicy(TeamMembership, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => Caller.HasScope(context.User, ApiScopes.VolunteersWrite) || Caller.HasScope(context.User, ApiScopes.ActivitiesAttend)));
    }

    /// <summary>The route names the volunteer record the token is linked to.</summary>
    private static bool IsOwnRecord(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http
        && http.GetRouteValue("id")?.ToString() is { } id
        && context.User.FindFirst(PracticeMeshClaims.VolunteerId)?.Value is { } linked
        && Guid.TryParse(id, out var routeId) && Guid.TryParse(linked, out var linkedId)
        && routeId == linkedId;
}
