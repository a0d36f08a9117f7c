using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Escalation;

public sealed record EscalationNotice(
    Guid Id, Guid CaseId, string CaseNumber, string DivisionCode, string? GridCode, string CategoryCode, CaseStage Stage, int Level,
    string EscalatedTo, DateTimeOffset DueAt, DateTimeOffset At)
{
    public static EscalationNotice From(CaseEscalation e) => new(
        e.Id, e.CaseId, e.CaseNumber, e.DivisionCode.Value, e.GridCode, e.CategoryCode, e.Stage, e.Level, e.EscalatedTo.Value, e.DueAt, e.At);
}

/// <summary>The notices of overdue cases sent up to a tier (督办通知).</summary>
public static class EscalationsApi
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapEscalationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1/grid").WithTags("Grid").RequireAuthorization()
            .MapGet("/escalations", ListAsync).WithName("ListCaseEscalations")
            .WithSummary("Overdue cases sent up to a tier within the caller's scope (optionally under a prefix, of one level), newest first")
            .RequireAuthorization(ApiScopes.GridRead);
        return endpoints;
    }

    public static async Task<Ok<List<EscalationNotice>>> ListAsync(
        string? under, int? level, int? page, int? pageSize, GridDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (level is < 1 or > 3)
        {
            errors["level"] = ["1 (village), 2 (township) or 3 (county)."];
        }
        if (page is < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"1 to {MaxPageSize}."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<EscalationNotice>());
        }
        var size = pageSize ?? 50;
        var query = db.Set<CaseEscalation>().AsNoTracking().Where(e => ((string)e.EscalatedTo).StartsWith(prefix));
        if (level is { } only)
        {
            query = query.Where(e => e.Level == only);
        }
        var notices = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Level)
            .Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(notices.Select(EscalationNotice.From).ToList());
    }
}
