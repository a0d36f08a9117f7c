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
            var userName = Person.NormaliseUserName(request.Username);
            var person = userName is null ? null : await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.UserName == userName, cancellationToken);
            // An unknown user costs the same hash as a known one, so timing does not reveal which user names exist.
            var verified = hasher.VerifyHashedPassword(person!, person?.PasswordHash ?? UnknownUserHash.Value, request.Password ?? "");
            if (person is null || verified == PasswordVerificationResult.Failed || !person.Active)
            {
                return Refuse(Errors.InvalidGrant, "The user name or password is wrong, or the account is disabled.");
            }
            var requested = request.GetScopes();
            return IssueForPerson(person, requested, requested.Contains(Scopes.OfflineAccess));
        }

        if (request.IsRefreshTokenGrantType())
        {
            var previous = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            var subject = previous?.GetClaim(Claims.Subject);
            var person = Guid.TryParse(subject, out var id) ? await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) : null;
            if (person is null || !person.Active)
            {
                return Refuse(Errors.InvalidGrant, "The account no longer exists or is disabled.");
            }
            // The role and division are read again: a change since the last sign-in applies from this refresh on.
            return IssueForPerson(person, previous!.GetScopes(), offline: true);
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

        return Refuse(Errors.UnsupportedGrantType, "Use password, refresh_token or client_credentials.");
    }

    private static IResult IssueForPerson(Person person, IEnumerable<string> requested, bool offline)
    {
        var roleScopes = ApiScopes.ForRole(person.Role);
        var asked = requested.Where(s => s != Scopes.OfflineAccess).ToList();
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
        return SignIn(NewIdentity(person.Id.ToString(), person.DisplayName, person.Role, person.DivisionCode), scopes);
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
        // Everything goes into the access token (the only token services see); nothing else is issued to them.
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
