using System.Security.Claims;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.WebConsole.Api;

/// <summary>Who is signed in, from identity's identity token: name, role and the division they may see.</summary>
public sealed record SignedInPerson(string Id, string Name, string Role, string Division)
{
    public static SignedInPerson? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new SignedInPerson(
                user.FindFirstValue(PracticeMeshClaims.Subject) ?? "",
                user.FindFirstValue(PracticeMeshClaims.Name) ?? "",
                user.FindFirstValue(PracticeMeshClaims.Role) ?? "",
                user.FindFirstValue(PracticeMeshClaims.Division) ?? "")
            : null;

    public bool IsCountyOrTownshipAdmin => Role is PracticeMeshRoles.CountyAdmin or PracticeMeshRoles.TownshipAdmin;

    public bool IsStaff => Role is PracticeMeshRoles.CountyAdmin or PracticeMeshRoles.TownshipAdmin or PracticeMeshRoles.StationAdmin;

    public bool IsVolunteer => Role is PracticeMeshRoles.Volunteer or PracticeMeshRoles.TeamLeader;
}
