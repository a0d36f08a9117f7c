using Microsoft.AspNetCore.HttpOverrides;

namespace PracticeMesh.Identity.Security;

/// <summary>
/// Discovery (<c>/.well-known/openid-configuration</c>) names the token endpoint and the JWKS under the address the
/// request came to. Through the gateway that must be the gateway's public address, not this service's inner one, so
/// the scheme and host the gateway forwards (X-Forwarded-Proto, X-Forwarded-Host) are taken from the gateway alone:
/// from loopback, and from the networks in <c>Identity:ForwardedHeaders:KnownNetworks</c> (the cluster's pod network).
/// A service reading the metadata straight from here (Auth:MetadataAddress) still gets the inner addresses it can reach.
/// </summary>
internal sealed class ForwardedDiscoveryStartupFilter(IConfiguration configuration) : IStartupFilter
{
    public const string KnownNetworksKey = "Identity:ForwardedHeaders:KnownNetworks";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto };
        // Loopback stays trusted (KnownIPNetworks starts with 127.0.0.0/8 and KnownProxies with ::1): one machine's gateway.
        foreach (var network in configuration.GetSection(KnownNetworksKey).Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{KnownNetworksKey} has '{network}', which is not a network in CIDR notation (e.g. 10.0.0.0/8)."));
        }
        return app =>
        {
            // First, so OpenIddict (in the authentication middleware) sees the public scheme and host.
            app.UseForwardedHeaders(options);
            next(app);
        };
    }
}
