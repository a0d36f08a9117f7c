using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.People;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Cases;

/// <summary>What every case endpoint works with.</summary>
public sealed class CaseServices(GridDbContext db, Caller caller, TimeProvider time, ICaseTimeLimits limits)
{
    public GridDbContext Db { get; } = db;
    public Caller Caller { get; } = caller;
    public TimeProvider Time { get; } = time;
    public ICaseTimeLimits Limits { get; } = limits;

    public CaseActor Actor => new(Caller.Subject ?? Caller.ClientId, Caller.Name, Caller.Role);
}

/// <summary>
/// Cases from report to close (上报 → 立案 → 派遣 → 处置 → 核查 → 结案). Staff (grid.write) accept, reject, dispatch,
/// verify, reopen, close and decide extensions within their division scope; the grid worker a case is dispatched to
/// returns, handles and asks for more time, as themselves only. A resident sees only what they reported or follow.
/// </summary>
public static class CasesApi
{
    public const string Path = "/api/v1/grid/cases";
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Path).WithTags("Grid cases")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        var reporters = AnyScope(ApiScopes.GridReport, ApiScopes.GridWrite);
        var readers = AnyScope(ApiScopes.GridRead, ApiScopes.GridReport, ApiScopes.GridWrite);

        api.MapPost("/", ReportAsync).WithName("ReportCase").RequireAuthorization(reporters)
            .WithSummary("Report a problem; the answer lists open cases of its category nearby that may be the same")
            .WithRequestExample("""{"category":"sanitation","description":"路边垃圾堆积","address":"王集村三组","villageCode":"321324104203","latitude":33.4571,"longitude":118.2239,"media":["https://media.example.cn/1.jpg"]}""");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetCase").RequireAuthorization(readers)
            .WithSummary("A case with its history");
        api.MapGet("/", ListAsync).WithName("ListCases").RequireAuthorization(ApiScopes.GridRead)
            .WithSummary("Cases under a division code prefix within the caller's scope, newest first, paged")
            .WithDescription($"Example: ?under=321324104&open=true&category=sanitation&overdue=true&page=1&pageSize=50. pageSize is 1-{MaxPageSize} (default 50).");
        api.MapGet("/mine", MineAsync).WithName("ListMyCases").RequireAuthorization(readers)
            .WithSummary("Cases the caller reported or follows, and for a grid worker those dispatched to them");

        api.MapPost("/{id:guid}/accept", AcceptAsync).WithName("AcceptCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"remark":"属实，立案"}""");
        api.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"reason":"不属于网格事项"}""");
        api.MapPost("/{id:guid}/dispatch", DispatchAsync).WithName("DispatchCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"handlerId":"0190a1b2-0000-7000-8000-000000000001","remark":"请今日处理"}""");
        api.MapPost("/{id:guid}/return", ReturnAsync).WithName("ReturnCase").RequireAuthorization(readers)
            .WithRequestExample("""{"remark":"不在本网格"}""");
        api.MapPost("/{id:guid}/handle", HandleAsync).WithName("HandleCase").RequireAuthorization(readers)
            .WithRequestExample("""{"remark":"已清理","media":["https://media.example.cn/after.jpg"]}""");
        api.MapPost("/{id:guid}/verify", VerifyAsync).WithName("VerifyCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"remark":"现场核查已处理"}""");
        api.MapPost("/{id:guid}/reopen", ReopenAsync).WithName("ReopenCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"remark":"现场仍有垃圾"}""");
        api.MapPost("/{id:guid}/close", CloseAsync).WithName("CloseCase").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"remark":"结案"}""");
        api.MapPost("/{id:guid}/extension", RequestExtensionAsync).WithName("RequestCaseExtension").RequireAuthorization(readers)
            .WithRequestExample("""{"days":3,"reason":"需等待材料"}""");
        api.MapPost("/{id:guid}/extension/approve", ApproveExtensionAsync).WithName("ApproveCaseExtension").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"remark":"同意延期"}""");
        api.MapPost("/{id:guid}/extension/refuse", RefuseExtensionAsync).WithName("RefuseCaseExtension").RequireAuthorization(ApiScopes.GridWrite)
            .WithRequestExample("""{"reason":"期限内可完成"}""");
        api.MapPost("/{id:guid}/merge", MergeAsync).WithName("MergeCase").RequireAuthorization(readers)
            .WithSummary("Merge this case, a duplicate, into another open case of the same category")
            .WithRequestExample("""{"intoCaseId":"0190a1b2-0000-7000-8000-000000000002"}""");
        return endpoints;
    }

    private static AuthorizationPolicy AnyScope(params string[] scopes) => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(context => scopes.Any(scope => Caller.HasScope(context.User, scope)))
        .Build();

    public static async Task<Created<CaseResponse>> ReportAsync(NewCase? input, CaseIntake intake, [AsParameters] CaseServices s, CancellationToken cancellationToken)
    {
        var report = await intake.ReportAsync(input ?? new NewCase(null, null, null, null, null, null, null, null),
            CaseIntake.ReporterOf(s.Caller), s.Caller.DivisionScope, cancellationToken);
        var reported = report.Case;
        var response = CaseResponse.From(reported, s.Time.GetUtcNow()) with
        {
            FollowToken = reported.FollowToken,
            History = [.. reported.Steps.Select(CaseStepResponse.From)],
            PossibleDuplicates = [.. report.PossibleDuplicates.Select(d => new PossibleDuplicateResponse(d.Id, d.Number,
                Math.Round(GeoDistance.Meters(reported.Latitude!.Value, reported.Longitude!.Value, d.Latitude!.Value, d.Longitude!.Value), 1),
                d.Status, d.Address, d.ReportedAt))],
        };
        return TypedResults.Created($"{Path}/{reported.Id}", response);
    }

    public static async Task<Ok<CaseResponse>> GetAsync(Guid id, [AsParameters] CaseServices s, CancellationToken cancellationToken)
    {
        var found = await s.Db.Cases.AsNoTracking().Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null || !await MaySeeAsync(found, s, cancellationToken))
        {
            throw new NotFoundException($"No case {id}.");
        }
        return TypedResults.Ok(await DetailAsync(found, s, cancellationToken));
    }

    public static async Task<Ok<CasePage>> ListAsync(
        string? under, string? status, bool? open, string? category, string? gridCode, bool? overdue, int? page, int? pageSize,
        [AsParameters] CaseServices s, CancellationToken cancellationToken)
    {
        var (number, size) = Paging(page, pageSize);
        CaseStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            wanted = Enum.TryParse<CaseStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainValidationException("status", $"One of {string.Join(", ", Enum.GetNames<CaseStatus>())}.");
        }
        if (s.Caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new CasePage([], number, size, 0));
        }
        var now = s.Time.GetUtcNow();
        var query = s.Db.Cases.AsNoTracking().Under(prefix);
        if (wanted is { } one)
        {
            query = query.Where(c => c.Status == one);
        }
        if (open is { } isOpen)
        {
            query = isOpen ? query.Open() : query.Where(c => !OpenStatuses.Contains(c.Status));
        }
        if (!string.IsNullOrWhiteSpace(category))
        {
            var code = category.Trim();
            query = query.Where(c => c.CategoryCode == code);
        }
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(c => c.GridCode == code);
        }
        if (overdue is { } late)
        {
            query = late
                ? query.Where(c => OpenStatuses.Contains(c.Status) && c.DueAt < now)
                : query.Where(c => !(OpenStatuses.Contains(c.Status) && c.DueAt < now));
        }
        return TypedResults.Ok(await PageAsync(query, number, size, now, cancellationToken));
    }

    public static async Task<Ok<CasePage>> MineAsync(int? page, int? pageSize, [AsParameters] CaseServices s, CancellationToken cancellationToken)
    {
        var (number, size) = Paging(page, pageSize);
        var caller = s.Caller;
        var now = s.Time.GetUtcNow();
        IQueryable<GridCase> query;
        if (caller.Role == PracticeMeshRoles.Partner)
        {
            var client = caller.ClientId;
            query = s.Db.Cases.AsNoTracking().Where(c => c.PartnerClientId == client);
        }
        else
        {
            var subject = caller.Subject ?? throw new ForbiddenException("The token names no person.");
            Guid? handler = caller.Role == PracticeMeshRoles.GridWorker && Guid.TryParse(subject, out var person) ? person : null;
            var followed = s.Db.Set<CaseFollower>().Where(f => f.ReporterSubject == subject).Select(f => f.CaseId);
            query = s.Db.Cases.AsNoTracking()
                .Where(c => c.ReporterId == subject || followed.Contains(c.Id) || (handler != null && c.HandlerId == handler));
        }
        return TypedResults.Ok(await PageAsync(query, number, size, now, cancellationToken));
    }

    public static Task<Ok<CaseResponse>> AcceptAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, async (found, now) =>
        {
            var handleBy = await DueAtAsync(found, CaseStage.Handling, now, s, cancellationToken);
            found.Accept(s.Actor, now, request?.Remark, handleBy);
        });

    public static Task<Ok<CaseResponse>> RejectAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, (found, now) =>
        {
            s.Db.AddEvent(found.Reject(s.Actor, now, request?.Reason ?? request?.Remark), now);
            return Task.CompletedTask;
        });

    public static Task<Ok<CaseResponse>> DispatchAsync(Guid id, DispatchCaseRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, async (found, now) =>
        {
            if (request?.HandlerId is not { } handlerId || handlerId == Guid.Empty)
            {
                throw new DomainValidationException("handlerId", "The grid worker to handle the case is required.");
            }
            // The status answers first: dispatching a case that is not waiting for it is a conflict whoever the worker.
            found.EnsureStatus("dispatch", CaseStatus.Accepted);
            var worker = await WorkerAssignmentAsync(found, handlerId, now, s, cancellationToken)
                ?? throw new DomainValidationException("handlerId", found.GridCode is { } grid
                    ? $"Person {handlerId} is no active grid worker of grid {grid}."
                    : $"Person {handlerId} is no active grid worker of any grid of village {found.DivisionCode}.");
            s.Db.AddEvent(found.Dispatch(s.Actor, handlerId, worker.PersonName, now, request.Remark), now);
        });

    public static Task<Ok<CaseResponse>> ReturnAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        HandlerStepAsync(id, s, cancellationToken, (found, now) =>
        {
            found.Return(s.Actor, now, request?.Remark ?? request?.Reason);
            return Task.CompletedTask;
        });

    public static Task<Ok<CaseResponse>> HandleAsync(Guid id, HandleCaseRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        HandlerStepAsync(id, s, cancellationToken, async (found, now) =>
        {
            var verifyBy = await DueAtAsync(found, CaseStage.Verification, now, s, cancellationToken);
            found.Handle(s.Actor, now, request?.Remark, request?.Media, verifyBy);
        });

    public static Task<Ok<CaseResponse>> VerifyAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, (found, now) =>
        {
            found.Verify(s.Actor, now, request?.Remark);
            return Task.CompletedTask;
        });

    public static Task<Ok<CaseResponse>> ReopenAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, async (found, now) =>
        {
            var handleBy = await DueAtAsync(found, CaseStage.Handling, now, s, cancellationToken);
            found.Reopen(s.Actor, now, request?.Remark ?? request?.Reason, handleBy);
        });

    public static Task<Ok<CaseResponse>> CloseAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, (found, now) =>
        {
            s.Db.AddEvent(found.Close(s.Actor, now, request?.Remark), now);
            return Task.CompletedTask;
        });

    public static Task<Ok<CaseResponse>> RequestExtensionAsync(Guid id, CaseExtensionRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        HandlerStepAsync(id, s, cancellationToken, (found, now) =>
        {
            found.RequestExtension(s.Actor, now, request?.Days ?? 0, request?.Reason);
            return Task.CompletedTask;
        });

    public static Task<Ok<CaseResponse>> ApproveExtensionAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, async (found, now) =>
        {
            var days = found.PendingExtension("approve");
            var newDueAt = await s.Limits.AddAsync(found.DueAt ?? now, new WorkingTime(days, LimitUnit.WorkingDays), cancellationToken);
            found.ApproveExtension(s.Actor, now, request?.Remark, newDueAt);
        });

    public static Task<Ok<CaseResponse>> RefuseExtensionAsync(Guid id, CaseStepRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken) =>
        StaffStepAsync(id, s, cancellationToken, (found, now) =>
        {
            found.RefuseExtension(s.Actor, now, request?.Reason ?? request?.Remark);
            return Task.CompletedTask;
        });

    /// <summary>
    /// A duplicate ends merged into the survivor, whose followers gain the duplicate's reporter and followers. A grid
    /// worker of the duplicate's grid (for a case outside the grids, of any grid of its village) or staff may merge.
    /// </summary>
    public static async Task<Ok<CaseResponse>> MergeAsync(Guid id, MergeCaseRequest? request, [AsParameters] CaseServices s, CancellationToken cancellationToken)
    {
        var now = s.Time.GetUtcNow();
        var duplicate = await FindVisibleAsync(id, s, cancellationToken);
        if (request?.IntoCaseId is not { } intoId || intoId == Guid.Empty)
        {
            throw new DomainValidationException("intoCaseId", "The case to merge into is required.");
        }
        var survivor = await s.Db.Cases.Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == intoId, cancellationToken);
        if (survivor is null || !await MaySeeAsync(survivor, s, cancellationToken))
        {
            throw new DomainValidationException("intoCaseId", $"No case {intoId}.");
        }
        if (!s.Caller.HasScope(ApiScopes.GridWrite))
        {
            if (s.Caller.Role != PracticeMeshRoles.GridWorker || !Guid.TryParse(s.Caller.Subject, out var person)
                || await WorkerAssignmentAsync(duplicate, person, now, s, cancellationToken) is null)
            {
                throw new ForbiddenException($"Only staff or a grid worker of case {duplicate.Number}'s grid may merge it.");
            }
        }
        s.Db.AddEvent(duplicate.MergeInto(survivor, s.Actor, now, request.Remark), now);

        var followers = s.Db.Set<CaseFollower>();
        var known = await followers.Where(f => f.CaseId == survivor.Id).Select(f => f.FollowToken).ToListAsync(cancellationToken);
        var inherited = await followers.AsNoTracking().Where(f => f.CaseId == duplicate.Id).ToListAsync(cancellationToken);
        var joining = inherited.Select(f => new CaseFollower(survivor.Id, f.ReporterSubject, f.FollowToken, f.FromCaseId, now))
            .Prepend(new CaseFollower(survivor.Id, duplicate.ReporterId, duplicate.FollowToken, duplicate.Id, now))
            .Where(f => f.FollowToken != survivor.FollowToken && !known.Contains(f.FollowToken));
        followers.AddRange(joining);
        await SaveAsync(s.Db, duplicate, cancellationToken);
        return TypedResults.Ok(await DetailAsync(duplicate, s, cancellationToken));
    }

    /// <summary>Statuses of a case still in somebody's hands (<see cref="GridCase.IsOpen"/> in SQL).</summary>
    private static readonly CaseStatus[] OpenStatuses =
        [CaseStatus.Reported, CaseStatus.Accepted, CaseStatus.Dispatched, CaseStatus.Handled, CaseStatus.Verified];

    /// <summary>A staff step: grid.write (the endpoint's policy) and the case within the caller's division scope.</summary>
    private static async Task<Ok<CaseResponse>> StaffStepAsync(Guid id, CaseServices s, CancellationToken cancellationToken, Func<GridCase, DateTimeOffset, Task> step)
    {
        var found = await s.Db.Cases.Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException($"No case {id}.");
        s.Caller.EnsureCovers(found.DivisionCode, $"case {id}");
        await step(found, s.Time.GetUtcNow());
        await SaveAsync(s.Db, found, cancellationToken);
        return TypedResults.Ok(await DetailAsync(found, s, cancellationToken));
    }

    /// <summary>
    /// A step only the handler takes, as themselves: a case the caller cannot see is not found; one they can see but
    /// that is not dispatched to them is forbidden.
    /// </summary>
    private static async Task<Ok<CaseResponse>> HandlerStepAsync(Guid id, CaseServices s, CancellationToken cancellationToken, Func<GridCase, DateTimeOffset, Task> step)
    {
        var found = await FindVisibleAsync(id, s, cancellationToken);
        if (found.HandlerId is not { } handler || !Guid.TryParse(s.Caller.Subject, out var person) || person != handler)
        {
            throw new ForbiddenException(found.HandlerId is null
                ? $"Case {found.Number} is {found.Status} and dispatched to nobody: only its handler takes this step."
                : $"Case {found.Number} is dispatched to {found.HandlerName}: only they take this step.");
        }
        await step(found, s.Time.GetUtcNow());
        await SaveAsync(s.Db, found, cancellationToken);
        return TypedResults.Ok(await DetailAsync(found, s, cancellationToken));
    }

    private static async Task<GridCase> FindVisibleAsync(Guid id, CaseServices s, CancellationToken cancellationToken)
    {
        var found = await s.Db.Cases.Include(c => c.Steps).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return found is not null && await MaySeeAsync(found, s, cancellationToken) ? found : throw new NotFoundException($"No case {id}.");
    }

    /// <summary>
    /// Readers of the grid (staff, grid workers, partners with grid.read) see the cases in their division scope; anyone
    /// else (a resident, a partner that only reports) only the cases they reported or follow.
    /// </summary>
    private static async Task<bool> MaySeeAsync(GridCase found, CaseServices s, CancellationToken cancellationToken)
    {
        var caller = s.Caller;
        if (caller.HasScope(ApiScopes.GridRead) || caller.HasScope(ApiScopes.GridWrite))
        {
            return caller.Covers(found.DivisionCode);
        }
        if (caller.Role == PracticeMeshRoles.Partner)
        {
            return caller.ClientId is { } client && found.PartnerClientId == client;
        }
        if (caller.Subject is not { } subject)
        {
            return false;
        }
        return found.ReporterId == subject
            || await s.Db.Set<CaseFollower>().AnyAsync(f => f.CaseId == found.Id && f.ReporterSubject == subject, cancellationToken);
    }

    private static async Task<CaseResponse> DetailAsync(GridCase found, CaseServices s, CancellationToken cancellationToken)
    {
        var mergedFrom = await s.Db.Cases.AsNoTracking().Where(c => c.MergedInto == found.Id).OrderBy(c => c.ReportedAt)
            .Select(c => c.Id).ToListAsync(cancellationToken);
        var caller = s.Caller;
        var ownReport = caller.Role == PracticeMeshRoles.Partner
            ? found.PartnerClientId is not null && found.PartnerClientId == caller.ClientId
            : found.ReporterId is not null && found.ReporterId == caller.Subject;
        return CaseResponse.From(found, s.Time.GetUtcNow()) with
        {
            FollowToken = ownReport ? found.FollowToken : null,
            MergedFrom = mergedFrom,
            History = [.. found.Steps.OrderBy(step => step.Sequence).Select(CaseStepResponse.From)],
        };
    }

    /// <summary>The person's worker assignment that lets them handle the case today, or null.</summary>
    private static async Task<GridAssignment?> WorkerAssignmentAsync(GridCase found, Guid personId, DateTimeOffset now, CaseServices s, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(now);
        var query = s.Db.Assignments.AsNoTracking().Where(a => a.PersonId == personId && a.Duty == GridDuty.Worker && (a.Until == null || a.Until >= today));
        if (found.GridCode is { } grid)
        {
            query = query.Where(a => a.GridCode == grid);
        }
        else
        {
            // Outside every grid: the village takes the case, so a worker of any of its grids may.
            var village = found.DivisionCode;
            query = query.Where(a => a.DivisionCode == village);
        }
        var held = await query.ToListAsync(cancellationToken);
        return held.FirstOrDefault(a => a.HoldsOn(today));
    }

    private static async Task<DateTimeOffset> DueAtAsync(GridCase found, CaseStage stage, DateTimeOffset now, CaseServices s, CancellationToken cancellationToken)
    {
        var category = await s.Db.CaseCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == found.CategoryCode, cancellationToken)
            ?? throw new ConflictException($"Case {found.Number}'s category {found.CategoryCode} no longer exists.");
        return await s.Limits.DueAtAsync(category, stage, now, cancellationToken);
    }

    /// <summary>Saves one transition; a concurrent transition of the same case that committed first makes this one 409.</summary>
    private static async Task SaveAsync(GridDbContext db, GridCase found, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            throw new ConflictException($"Case {found.Number} was changed by another request at the same time; reload it and try again.");
        }
    }

    private static async Task<CasePage> PageAsync(IQueryable<GridCase> query, int page, int size, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new CasePage([.. rows.Select(c => CaseResponse.From(c, now))], page, size, total);
    }

    private static (int Page, int Size) Paging(int? page, int? pageSize)
    {
        if (page is < 1 or > 100_000)
        {
            throw new DomainValidationException("page", "page is 1 or more.");
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new DomainValidationException("pageSize", $"pageSize is 1-{MaxPageSize}.");
        }
        return (page ?? 1, pageSize ?? 50);
    }

    /// <summary>
    /// Cases whose village code starts with <paramref name="prefix"/>, as a range of codes rather than LIKE with a
    /// parameter, so the (DivisionCode, Status, ReportedAt) index serves a township's or a village's page.
    /// </summary>
    public static IQueryable<GridCase> Under(this IQueryable<GridCase> cases, string prefix)
    {
        var (low, high) = PrefixRange(prefix);
        return cases.Where(c => string.Compare((string)c.DivisionCode, low) >= 0 && string.Compare((string)c.DivisionCode, high) < 0);
    }

    /// <summary>Cases still in somebody's hands.</summary>
    /// <remarks>
    /// Written with the statuses as constants, so PostgreSQL sees the predicate of the open cases' partial index
    /// (an array parameter, <c>= ANY(@p)</c>, would hide it).
    /// </remarks>
    public static IQueryable<GridCase> Open(this IQueryable<GridCase> cases) =>
        cases.Where(c => c.Status == CaseStatus.Reported || c.Status == CaseStatus.Accepted || c.Status == CaseStatus.Dispatched
            || c.Status == CaseStatus.Handled || c.Status == CaseStatus.Verified);

    /// <summary>The codes starting with <paramref name="prefix"/> (digits) as a half-open range: "321324104" → ["321324104", "321324105").</summary>
    internal static (string Low, string High) PrefixRange(string prefix)
    {
        var digits = prefix.TrimEnd('9');
        return digits.Length == 0
            ? (prefix, ":")
            : (prefix, digits[..^1] + (char)(digits[^1] + 1));
    }
}
