using OpenIddict.Abstractions;
using OpenIddict.Server;
using PracticeMesh.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// Keeps <c>client_id</c> out of a person's access token. OpenIddict writes the requesting client there (RFC 9068), but
/// PracticeMesh reads <c>client_id</c> as the partner a token belongs to: the gateway's per-client rate limit and every
/// host's Idempotency-Key scope count by it, else by the person (<c>sub</c>). A person signed in at the console would
/// otherwise share one limit and one set of idempotency keys with everyone else signed in there.
/// </summary>
internal sealed class OmitClientIdForPeople : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .UseSingletonHandler<OmitClientIdForPeople>()
        .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.AccessTokenPrincipal is { } principal && principal.GetClaim(Claims.Role) != PracticeMeshRoles.Partner)
        {
            principal.RemoveClaims(Claims.ClientId);
        }
        return ValueTask.CompletedTask;
    }
}
