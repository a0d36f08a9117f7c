using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Security;

public static class AuditTrail
{
    private const string AuditedItem = "PracticeMesh.Audited";

    /// <summary>Marks the request as audited (the admin-writes filter did it), so an act on behalf is not recorded twice.</summary>
    internal static void MarkAudited(HttpContext http) => http.Items[AuditedItem] = true;

    /// <summary>
    /// Records that the caller acted for another person (<see cref="Caller.EnsureActsFor"/> answered
    /// <see cref="OnBehalf.Other"/>): who did it, for whom, on which path. Writes into the handler's outbox, so it commits
    /// with the change. An admin's write through an audited group is already recorded; the detail then adds nothing new
    /// about who acted, so it is not recorded twice.
    /// </summary>
    public static void RecordOnBehalf(HttpContext http, ServiceDbContext db, string service, Guid personId, DateTimeOffset now)
    {
        if (http.Items.ContainsKey(AuditedItem))
        {
            return;
        }
        db.AddEvent(Record(http, service, now, $"on behalf of volunteer {personId}"), now);
        MarkAudited(http);
    }

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

    /// <summary>
    /// Writes an audit record (who, what, when, from where) for every change an admin makes through this group. The
    /// record goes into the module's outbox before the handler runs, so the handler's own SaveChanges commits it with
    /// the change, and a change that fails leaves no record.
    /// </summary>
    public static TBuilder AuditAdminWrites<TBuilder, TContext>(this TBuilder builder, string service)
        where TBuilder : IEndpointConventionBuilder
        where TContext : ServiceDbContext =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                && http.User.FindFirst(PracticeMeshClaims.Role)?.Value is { } role && PracticeMeshRoles.Admins.Contains(role))
            {
                var db = http.RequestServices.GetRequiredService<TContext>();
                var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                db.AddEvent(AuditTrail.Record(http, service, now), now);
                AuditTrail.MarkAudited(http);
            }
            return await next(context);
        });
}
