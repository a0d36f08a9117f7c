using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Api;

public sealed record AuditEntryResponse(Guid Id, DateTimeOffset OccurredAt, string DivisionCode, string Service, string Action, string? Detail,
    string? SubjectId, string? SubjectName, string? Role, string? ClientId, string? IpAddress, string? UserAgent, string? CorrelationId)
{
    public static AuditEntryResponse From(AuditEntry e) => new(e.Id, e.OccurredAt, e.DivisionCode, e.Service, e.Action, e.Detail,
        e.SubjectId, e.SubjectName, e.Role, e.ClientId, e.IpAddress, e.UserAgent, e.CorrelationId);
}

/// <summary>A page of the trail, newest first; <see cref="NextOffset"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Items, int? NextOffset);

/// <summary><c>GET /api/v1/audit</c>: the audit trail of every service, for holders of <c>audit.read</c> (county admins), within their scope.</summary>
public static class AuditApi
{
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/audit", QueryAsync).WithTags("Audit").WithName("QueryAudit")
            .WithSummary("Audit entries newest first, by time range, subject and division prefix")
            .RequireAuthorization(ApiScopes.AuditRead);
        return endpoints;
    }

    public static async Task<Ok<AuditPage>> QueryAsync(DateTimeOffset? from, DateTimeOffset? to, string? subject, string? under, int? limit, int? offset,
        IdentityDbContext db, Caller caller, AcceptedDates dates, CancellationToken cancellationToken)
    {
        dates.Ensure(("from", from), ("to", to));
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"1 to {MaxLimit}."];
        }
        if (offset < 0)
        {
            errors["offset"] = ["0 or more."];
        }
        if (from > to)
        {
            errors["from"] = ["'from' must not be after 'to'."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new AuditPage([], null));
        }
        var query = db.AuditEntries.AsNoTracking().Where(e => e.DivisionCode.StartsWith(prefix));
        if (from is { } start)
        {
            query = query.Where(e => e.OccurredAt >= start);
        }
        if (to is { } end)
        {
            query = query.Where(e => e.OccurredAt < end);
        }
        if (!string.IsNullOrEmpty(subject))
        {
            query = query.Where(e => e.SubjectId == subject);
        }
        var take = limit ?? 100;
        var skip = offset ?? 0;
        var entries = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(skip).Take(take + 1).ToListAsync(cancellationToken);
        var page = entries.Take(take).Select(AuditEntryResponse.From).ToList();
        return TypedResults.Ok(new AuditPage(page, entries.Count > take ? skip + take : null));
    }
}
