using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Security;

/// <summary>
/// Who is calling and which part of the county they reach. Every service checks every read and write against it:
/// a record outside the caller's division scope is "not found" (its existence is not revealed), and creating one
/// there is forbidden.
/// </summary>
public sealed class Caller(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public string? Subject => User.FindFirst(PracticeMeshClaims.Subject)?.Value;
    public string? Name => User.FindFirst(PracticeMeshClaims.Name)?.Value;
    public string? Role => User.FindFirst(PracticeMeshClaims.Role)?.Value;
    public string? ClientId => User.FindFirst(PracticeMeshClaims.ClientId)?.Value;

    /// <summary>The volunteer record the signed-in person is (claim <c>volunteer_id</c>), or null.</summary>
    public Guid? VolunteerId => Guid.TryParse(User.FindFirst(PracticeMeshClaims.VolunteerId)?.Value, out var id) ? id : null;

    /// <summary>True when the caller's role acts only for the person it is (<see cref="PracticeMeshRoles.SelfOnly"/>).</summary>
    public bool ActsOnlyForSelf => Role is { } role && PracticeMeshRoles.SelfOnly.Contains(role);

    /// <summary>
    /// For an act done for a volunteer (sign up, check in or out, rate, cancel, ask for an hour correction, accept an
    /// order). A caller who acts only for themselves may act only for the volunteer record their login is: any other id
    /// answers as unknown (404, nothing revealed, nothing written). Admins, team leaders and partners act for volunteers
    /// within their division scope. Returns <see cref="OnBehalf.Other"/> when the caller acts for someone else: the
    /// handler then records it with <see cref="AuditTrail.RecordOnBehalf"/>.
    /// </summary>
    public OnBehalf EnsureActsFor(Guid volunteerId, DivisionCode volunteerDivision, string what = "volunteer")
    {
        if (VolunteerId == volunteerId)
        {
            return OnBehalf.Self;
        }
        if (ActsOnlyForSelf || !Covers(volunteerDivision))
        {
            throw new NotFoundException($"No {what} {volunteerId}.");
        }
        return OnBehalf.Other;
    }

    /// <summary>The division code prefix the caller reaches; a token without a valid one reaches nothing.</summary>
    public string DivisionScope
    {
        get
        {
            var division = User.FindFirst(PracticeMeshClaims.Division)?.Value;
            return division is { Length: >= 2 and <= 12 } && division.All(char.IsAsciiDigit)
                ? division
                : throw new ForbiddenException("The token carries no division scope.");
        }
    }

    public bool HasScope(string scope) => HasScope(User, scope);

    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll(PracticeMeshClaims.Scope).Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope));

    public bool Covers(DivisionCode code) => code.IsWithin(DivisionScope);

    /// <summary>For reads and for changes to an existing record: outside the scope it does not exist (404).</summary>
    public void EnsureCovers(DivisionCode code, string what)
    {
        if (!Covers(code))
        {
            throw new NotFoundException($"No {what}.");
        }
    }

    /// <summary>For creating a record: outside the scope it is forbidden (403).</summary>
    public void EnsureMayCreateIn(DivisionCode code)
    {
        if (!Covers(code))
        {
            throw new ForbiddenException($"Division {code} is outside your division scope ({DivisionScope}).");
        }
    }

    /// <summary>
    /// The prefix a list query should use: the narrower of the requested prefix and the caller's scope, or null when
    /// they do not overlap (the answer is then empty).
    /// </summary>
    public string? ListPrefix(string? requested)
    {
        var scope = DivisionScope;
        var prefix = DivisionPrefix.Validate(requested, "under");
        if (prefix is null || scope.StartsWith(prefix, StringComparison.Ordinal))
        {
            return scope;
        }
        return prefix.StartsWith(scope, StringComparison.Ordinal) ? prefix : null;
    }
}

/// <summary>Whether a caller acts as themselves or for another person.</summary>
public enum OnBehalf
{
    Self,
    Other,
}
