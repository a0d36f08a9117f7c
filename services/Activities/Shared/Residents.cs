using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Shared;

public static class Residents
{
    /// <summary>The resident behind the token; their interests, ratings and orders are theirs alone.</summary>
    public static string ResidentOrRefuse(this Caller caller) =>
        caller.Role == PracticeMeshRoles.Resident && caller.Subject is { Length: > 0 and <= 100 } subject
            ? subject
            : throw new ForbiddenException("Only a resident (signed in) does this.");
}
