using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PracticeMesh.Gateway.Cells;

/// <summary>
/// Readiness says <c>Degraded</c> (still 200: the table in force routes on) while the routing table file is refused,
/// so a bad ConfigMap shows on the gateway's probe as well as in its log.
/// </summary>
public sealed class CellTableHealthCheck(CellTableSource tables) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(tables.Status is { Loaded: false, File: { } file, Problems.Count: > 0 } status
            ? HealthCheckResult.Degraded($"Township cell table {file} refused: {string.Join(" ", status.Problems)}")
            : HealthCheckResult.Healthy());
}
