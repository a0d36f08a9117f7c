using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.People;

/// <summary>A person takes up a duty in a grid from a day (today in China when left out).</summary>
public sealed record StartAssignmentRequest(Guid? PersonId, GridDuty? Duty, DateOnly? From, string? Remark);

/// <summary>An assignment ends after its last day (today in China when left out).</summary>
public sealed record EndAssignmentRequest(DateOnly? Until, string? Remark);

/// <summary>
/// An assignment with the person as the grid service knows them now: <see cref="PersonActive"/> false when identity
/// deactivated them (the assignment stays until an admin ends it, but they count as no worker).
/// </summary>
public sealed record AssignmentResponse(
    Guid Id, string GridCode, string VillageCode, Guid PersonId, string PersonName, string? PersonRole, bool PersonActive,
    GridDuty Duty, DateOnly From, DateOnly? Until, bool Current, string? Remark, string? EndRemark, DateTimeOffset ChangedAt)
{
    public static AssignmentResponse Of(GridAssignment a, KnownPerson? person, DateOnly today) => new(
        a.Id, a.GridCode, a.DivisionCode.Value, a.PersonId, person?.Name ?? a.PersonName, person?.Role, person?.Active ?? false,
        a.Duty, a.From, a.Until, a.HoldsOn(today), a.Remark, a.EndRemark, a.ChangedAt);
}

/// <summary>What a handler of this API works with.</summary>
public readonly record struct PeopleServices(GridDbContext Db, Caller Caller, AcceptedDates Dates, TimeProvider Time);

/// <summary>
/// Who works each grid (网格员, 包格干部), people from identity by their person id, with every change kept by date, and
/// the coverage of villages, townships and the county.
/// </summary>
public static class PeopleApi
{
    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/grid").WithTags("Grid")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        api.MapPost("/grids/{code}/assignments", StartAsync)
            .WithRequestExample("""{"personId":"0193a5c2-7d4e-7b1a-9c3f-2e8d4b6a1f00","duty":"Worker","from":"2026-03-01","remark":"村两委会议决定"}""")
            .WithName("AssignToGrid").WithSummary("Give a person a duty in a grid: a grid worker as its worker, a station or township admin or team leader as its cadre")
            .RequireAuthorization(ApiScopes.GridWrite);
        api.MapPost("/assignments/{id:guid}/end", EndAsync).WithRequestExample("""{"until":"2026-06-30","remark":"调任"}""")
            .WithName("EndGridAssignment").WithSummary("End an assignment after its last day; it stays in the grid's history")
            .RequireAuthorization(ApiScopes.GridWrite);
        api.MapGet("/assignments/{id:guid}", GetAsync).WithName("GetGridAssignment").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/grids/{code}/assignments", ListForGridAsync).WithName("ListGridAssignments")
            .WithSummary("A grid's assignments, current and past, latest first").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/people/{personId:guid}/assignments", ListForPersonAsync).WithName("ListPersonAssignments")
            .WithSummary("A person's assignments in every grid within the caller's scope, current and past").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/coverage", CoverageAsync).WithName("GetGridCoverage")
            .WithSummary("Per village under a division: grids, grids without a worker, households per worker; and the villages with no grid")
            .RequireAuthorization(ApiScopes.GridRead);
        return endpoints;
    }

    public static Task<Created<AssignmentResponse>> StartAsync(string code, StartAssignmentRequest request, [AsParameters] PeopleServices s,
        CancellationToken cancellationToken) =>
        WithRetryAsync(s.Db, () => StartOnceAsync(code, request, s, cancellationToken),
            new ConflictException($"The person was assigned to grid {code} at the same time; read its assignments again."));

    public static Task<Ok<AssignmentResponse>> EndAsync(Guid id, EndAssignmentRequest request, [AsParameters] PeopleServices s,
        CancellationToken cancellationToken) =>
        WithRetryAsync(s.Db, () => EndOnceAsync(id, request, s, cancellationToken),
            new ConflictException($"Assignment {id} was changed at the same time; read it again."));

    private static async Task<Created<AssignmentResponse>> StartOnceAsync(string code, StartAssignmentRequest request, PeopleServices s,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.PersonId is null || request.PersonId == Guid.Empty)
        {
            errors["personId"] = ["The identity id of the person."];
        }
        if (request.Duty is null || !Enum.IsDefined(request.Duty.Value))
        {
            errors["duty"] = ["Worker or Cadre."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        s.Dates.Ensure("from", request.From);
        var now = s.Time.GetUtcNow();
        var today = ChinaTime.Today(now);
        var grid = await s.Db.Grids.SingleOrDefaultAsync(g => g.Code == code, cancellationToken);
        if (grid is null || !s.Caller.Covers(grid.DivisionCode))
        {
            throw new NotFoundException($"No grid {code}.");
        }
        var person = await s.Db.People.FindAsync([request.PersonId!.Value], cancellationToken)
            ?? throw new NotFoundException($"No person {request.PersonId} is known to the grid service.");
        if (!grid.Active)
        {
            throw new ConflictException($"Grid {code} is retired and takes no assignments.");
        }
        if (!person.Active)
        {
            throw new ConflictException($"{person.Name} is deactivated.");
        }
        var duty = request.Duty!.Value;
        if (person.CannotHold(duty, grid.DivisionCode) is { } reason)
        {
            throw new DomainValidationException("personId", reason);
        }
        var from = request.From ?? today;
        if (await s.Db.Assignments.AnyAsync(a => a.GridCode == code && a.PersonId == person.Id && a.Duty == duty && (a.Until == null || a.Until >= from),
            cancellationToken))
        {
            throw new ConflictException($"{person.Name} already holds the {duty} duty in grid {code}.");
        }

        var assignment = GridAssignment.Start(grid.Code, grid.DivisionCode, person, duty, from, request.Remark, now);
        s.Db.Assignments.Add(assignment);
        s.Db.AddEvent(assignment.ToChangedEvent(now), now);
        await CoverageTracker.RecheckAsync(s.Db, grid.DivisionCode, now, cancellationToken);
        await s.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/grid/assignments/{assignment.Id}", AssignmentResponse.Of(assignment, person, today));
    }

    private static async Task<Ok<AssignmentResponse>> EndOnceAsync(Guid id, EndAssignmentRequest request, PeopleServices s,
        CancellationToken cancellationToken)
    {
        s.Dates.Ensure("until", request.Until);
        var now = s.Time.GetUtcNow();
        var today = ChinaTime.Today(now);
        var assignment = await s.Db.Assignments.FindAsync([id], cancellationToken);
        if (assignment is null || !s.Caller.Covers(assignment.DivisionCode))
        {
            throw new NotFoundException($"No assignment {id}.");
        }
        assignment.End(request.Until ?? today, request.Remark, now);
        s.Db.AddEvent(assignment.ToChangedEvent(now), now);
        await CoverageTracker.RecheckAsync(s.Db, assignment.DivisionCode, now, cancellationToken);
        await s.Db.SaveChangesAsync(cancellationToken);
        var person = await s.Db.People.FindAsync([assignment.PersonId], cancellationToken);
        return TypedResults.Ok(AssignmentResponse.Of(assignment, person, today));
    }

    public static async Task<Ok<AssignmentResponse>> GetAsync(Guid id, [AsParameters] PeopleServices s, CancellationToken cancellationToken)
    {
        var assignment = await s.Db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assignment is null || !s.Caller.Covers(assignment.DivisionCode))
        {
            throw new NotFoundException($"No assignment {id}.");
        }
        var person = await s.Db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == assignment.PersonId, cancellationToken);
        return TypedResults.Ok(AssignmentResponse.Of(assignment, person, ChinaTime.Today(s.Time.GetUtcNow())));
    }

    public static async Task<Ok<List<AssignmentResponse>>> ListForGridAsync(string code, [AsParameters] PeopleServices s, CancellationToken cancellationToken)
    {
        var grid = await s.Db.Grids.AsNoTracking().Where(g => g.Code == code).Select(g => new { g.DivisionCode }).SingleOrDefaultAsync(cancellationToken);
        if (grid is null || !s.Caller.Covers(grid.DivisionCode))
        {
            throw new NotFoundException($"No grid {code}.");
        }
        var assignments = await s.Db.Assignments.AsNoTracking().Where(a => a.GridCode == code).ToListAsync(cancellationToken);
        return TypedResults.Ok(await RespondAsync(s, assignments, cancellationToken));
    }

    public static async Task<Ok<List<AssignmentResponse>>> ListForPersonAsync(Guid personId, [AsParameters] PeopleServices s, CancellationToken cancellationToken)
    {
        var person = await s.Db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, cancellationToken);
        var prefix = s.Caller.DivisionScope;
        var assignments = await s.Db.Assignments.AsNoTracking()
            .Where(a => a.PersonId == personId && ((string)a.DivisionCode).StartsWith(prefix)).ToListAsync(cancellationToken);
        // A person the service has not heard of, or one outside the caller's scope with no grid in it, does not exist for the caller.
        if (assignments.Count == 0 && (person is null || !s.Caller.Covers(person.Division)))
        {
            throw new NotFoundException($"No person {personId}.");
        }
        return TypedResults.Ok(await RespondAsync(s, assignments, cancellationToken));
    }

    public static async Task<Ok<CoverageReport>> CoverageAsync(string? under, [AsParameters] PeopleServices s, CancellationToken cancellationToken)
    {
        var prefix = s.Caller.ListPrefix(under);
        return TypedResults.Ok(prefix is null
            ? CoverageReport.Empty(under ?? "")
            : await CoverageReport.ReckonAsync(s.Db, prefix, ChinaTime.Today(s.Time.GetUtcNow()), cancellationToken));
    }

    /// <summary>Current assignments first (by grid), then past ones, latest first.</summary>
    private static async Task<List<AssignmentResponse>> RespondAsync(PeopleServices s, List<GridAssignment> assignments, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(s.Time.GetUtcNow());
        var ids = assignments.Select(a => a.PersonId).Distinct().ToList();
        var people = await s.Db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. assignments
            .OrderByDescending(a => a.HoldsOn(today)).ThenByDescending(a => a.Until ?? DateOnly.MaxValue).ThenByDescending(a => a.From).ThenBy(a => a.GridCode)
            .Select(a => AssignmentResponse.Of(a, people.GetValueOrDefault(a.PersonId), today))];
    }

    /// <summary>
    /// Runs a write again when a racing writer got there first: another admin of the village reckoned the same coverage
    /// gap (its stored row's key), assigned the same person (the open-assignment key) or ended the same assignment (its
    /// version). Run again on what is saved now, the write either goes through (only the gap was shared) or meets the
    /// rule that refuses it (409 from its own check). Should the race go on, it is <paramref name="conflict"/>, with
    /// nothing written. What this write tracked is forgotten between runs; what was tracked before it (the audit record
    /// of the request) stays, to commit with the run that succeeds.
    /// </summary>
    private static async Task<T> WithRetryAsync<T>(GridDbContext db, Func<Task<T>> write, ConflictException conflict)
    {
        var before = db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                if (attempt == 3)
                {
                    throw conflict;
                }
                foreach (var entry in db.ChangeTracker.Entries().Where(e => !before.Contains(e.Entity)).ToList())
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
    }
}
