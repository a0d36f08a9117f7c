using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// <c>POST /connect/token</c>. OpenIddict has already checked the request (grant type, client authentication,
/// scopes registered and permitted); this decides who the token is for and what it carries.
/// </summary>
public static class TokenEndpoint
{
    private static readonly Lazy<string> UnknownUserHash = new(() => new PasswordHasher<Person>().HashPassword(null!, Guid.NewGuid().ToString()));

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/connect/token", ExchangeAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ExchangeAsync(HttpContext http, IdentityDbContext db, IPasswordHasher<Person> hasher, CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing: is /connect/token its token endpoint?");

        if (request.IsPasswordGrantType())
        {
            var person = await CheckPasswordAsync(db, hasher, request.Username, request.Password, cancellationToken);
            if (person is null || !person.Active)
            {
                return Refuse(Errors.InvalidGrant, "The user name or password is wrong, or the account is disabled.");
            }
            var requested = request.GetScopes();
            return await IssueForPersonAsync(db, person, requested, requested.Contains(Scopes.OfflineAccess), cancellationToken);
        }

        if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            // The console's code (from the sign-in page) and every refresh token hold the principal issued then.
            var previous = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            var subject = previous?.GetClaim(Claims.Subject);
            var person = Guid.TryParse(subject, out var id) ? await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) : null;
            if (person is null || !person.Active)
            {
                return Refuse(Errors.InvalidGrant, "The account no longer exists or is disabled.");
            }
            // The role, division and volunteer link are read again: a change since the last sign-in applies from this
            // refresh on. The scopes asked for at sign-in are asked for again (all of them when none were named), so a
            // person who became a volunteer gains the volunteer's scopes without signing in again.
            var granted = previous!.GetScopes();
            var asked = previous!.GetClaim(AskedScopesClaim) is { } recorded
                ? recorded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s != AllScopes)
                : granted;
            // A code gives a refresh token only when offline_access was asked for; a refresh token always gives another.
            var offline = request.IsRefreshTokenGrantType() || granted.Contains(Scopes.OfflineAccess);
            return await IssueForPersonAsync(db, person, asked.Concat(granted.Where(IdentityScopes.Contains)).Distinct(), offline, cancellationToken);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var client = await db.PartnerClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == request.ClientId, cancellationToken);
            if (client is null)
            {
                return Refuse(Errors.InvalidClient, "The client is not registered as a partner.");
            }
            var requested = request.GetScopes();
            var scopes = requested.IsDefaultOrEmpty ? client.ScopeList : [.. client.ScopeList.Where(requested.Contains)];
            if (scopes.Count == 0)
            {
                return Refuse(Errors.InvalidScope, "None of the requested scopes is granted to this client.");
            }
            var identity = NewIdentity(client.ClientId, client.DisplayName, PracticeMeshRoles.Partner, client.DivisionScope);
            identity.AddClaim(new Claim(PracticeMeshClaims.RateLimit, client.RateLimitPerMinute.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32));
            return SignIn(identity, scopes);
        }

        return Refuse(Errors.UnsupportedGrantType, "Use password, authorization_code, refresh_token or client_credentials.");
    }

    /// <summary>
    /// The person whose user name and password these are, active or not; null when either is wrong. An unknown user
    /// costs the same hash as a known one, so timing does not reveal which user names exist.
    /// </summary>
    internal static async Task<Person?> CheckPasswordAsync(IdentityDbContext db, IPasswordHasher<Person> hasher,
        string? userName, string? password, CancellationToken cancellationToken)
    {
        var normalised = Person.NormaliseUserName(userName);
        var person = normalised is null ? null : await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.UserName == normalised, cancellationToken);
        var verified = hasher.VerifyHashedPassword(person!, person?.PasswordHash ?? UnknownUserHash.Value, password ?? "");
        return verified == PasswordVerificationResult.Failed ? null : person;
    }

    /// <summary>
    /// A claim only the refresh token carries (it goes to no other token): the scopes asked for at sign-in, or
    /// <see cref="AllScopes"/> for none named.
    /// </summary>
    private const string AskedScopesClaim = "pm_asked_scopes";
    private const string AllScopes = "*";

    /// <summary>
    /// The OpenID Connect scopes (an identity token, with the person's name): asked for beside the API scopes and kept
    /// apart from them, so a console asking only for these gets every API scope its person's role carries.
    /// </summary>
    public static readonly IReadOnlySet<string> IdentityScopes = new HashSet<string>(StringComparer.Ordinal) { Scopes.OpenId, Scopes.Profile };

    /// <summary>
    /// Signs <paramref name="person"/> in with OpenIddict's scheme (a token answer at the token endpoint, a code at
    /// the authorization endpoint), or refuses when none of the requested API scopes comes with their role.
    /// </summary>
    internal static async Task<IResult> IssueForPersonAsync(IdentityDbContext db, Person person, IEnumerable<string> requested, bool offline,
        CancellationToken cancellationToken)
    {
        requested = [.. requested];
        // A linked volunteer who is not suspended acts as that volunteer: the claim, and the volunteer's scopes besides
        // the role's (a resident who volunteers signs up too).
        var volunteer = person.VolunteerId is { } volunteerId
            ? await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == volunteerId, cancellationToken)
            : null;
        var actsAsVolunteer = volunteer is { IsApproved: true, IsSuspended: false };
        var roleScopes = actsAsVolunteer
            ? ApiScopes.ForRole(person.Role).Union(ApiScopes.ForRole(PracticeMeshRoles.Volunteer)).ToList()
            : ApiScopes.ForRole(person.Role);
        var asked = requested.Where(s => s != Scopes.OfflineAccess && !IdentityScopes.Contains(s)).ToList();
        // No scope asked for: everything the role carries. Some asked for: only those the role carries too.
        List<string> scopes = asked.Count == 0 ? [.. roleScopes] : [.. roleScopes.Where(asked.Contains)];
        if (scopes.Count == 0)
        {
            return Refuse(Errors.InvalidScope, $"None of the requested scopes comes with the role {person.Role}.");
        }
        if (offline)
        {
            scopes.Add(Scopes.OfflineAccess);
        }
        scopes.AddRange(requested.Where(IdentityScopes.Contains).Distinct());
        var identity = NewIdentity(person.Id.ToString(), person.DisplayName, person.Role, person.DivisionCode);
        if (actsAsVolunteer)
        {
            identity.SetClaim(PracticeMeshClaims.VolunteerId, volunteer!.Id.ToString());
        }
        identity.SetClaim(AskedScopesClaim, asked.Count == 0 ? AllScopes : string.Join(' ', asked));
        return SignIn(identity, scopes);
    }

    private static ClaimsIdentity NewIdentity(string subject, string name, string role, string division)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
            .SetClaim(Claims.Name, name)
            .SetClaim(Claims.Role, role)
            .SetClaim(PracticeMeshClaims.Division, division);
        return identity;
    }

    private static IResult SignIn(ClaimsIdentity identity, IReadOnlyCollection<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetResources(PracticeMeshClaims.Audience);
        // Everything goes into the access token (the only token services see) and the identity token (what the console
        // shows of who is signed in), but for the asked scopes, which only the code and refresh token keep (they hold
        // every claim).
        identity.SetDestinations(static claim => claim.Type == AskedScopesClaim ? [] : [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>An OAuth error answer (the token endpoint's JSON, or the redirect back to the client with the error).</summary>
    internal static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
