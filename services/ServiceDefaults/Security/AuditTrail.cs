using Microsoft.AspNetCore.Http;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.ServiceDefaults.Security;

public static class AuditTrail
{
    /// <summary>An audit record of the current request by the current caller.</summary>
    public static AuditRecorded Record(HttpContext http, string service, DateTimeOffset now, string? detail = null)
    {
        var user = http.User;
        var division = user.FindFirst(PracticeMeshClaims.Division)?.Value;
        return new AuditRecorded(
            Guid.CreateVersion7(now),
            now,
            // The caller's own division: the place the act was done from. Admins always work for a county,
            // township or village; a token that says otherwise is not one to act on.
            DivisionCode.TryParse(division, out var code)
                ? code
                : throw new ForbiddenException("An audited action needs a county, township or village division scope."),
            service,
            $"{http.Request.Method} {http.Request.Path}",
            detail,
            user.FindFirst(PracticeMeshClaims.Subject)?.Value,
            user.FindFirst(PracticeMeshClaims.Name)?.Value,
            user.FindFirst(PracticeMeshClaims.Role)?.Value,
            user.FindFirst(PracticeMeshClaims.ClientId)?.Value,
            http.Connection.RemoteIpAddress?.ToString(),
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 300)] : null,
            http.Request.Headers["X-Correlation-Id"].ToString());
    }
}
