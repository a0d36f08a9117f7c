namespace PracticeMesh.Gateway;

/// <summary>
/// Names the gateway assembly for <c>WebApplicationFactory&lt;GatewayMarker&gt;</c>: every service has a
/// top-level <c>Program</c>, so a test that references several of them cannot use that name.
/// </summary>
public sealed class GatewayMarker;
