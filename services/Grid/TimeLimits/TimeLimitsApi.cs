using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>A limit as the API takes it: the unit as text, so an unknown one is a 400 naming the field.</summary>
public sealed record LimitBody(int? Amount, string? Unit);

public sealed record CategoryRequest(
    string? Name, string? Description, LimitBody? AcceptWithin, LimitBody? HandleWithin, LimitBody? VerifyWithin, bool? StaysInGrid, bool? Active);

public sealed record CategoryResponse(
    string Code, string Name, string? Description, WorkingTime AcceptWithin, WorkingTime HandleWithin, WorkingTime VerifyWithin,
    bool StaysInGrid, bool Active, int Version)
{
    public static CategoryResponse From(CaseCategory c) =>
        new(c.Code, c.Name, c.Description, c.AcceptWithin, c.HandleWithin, c.VerifyWithin, c.StaysInGrid, c.Active, c.Version);
}

public sealed record CalendarRequest(List<DateOnly>? Holidays, List<DateOnly>? Workdays);

/// <param name="Source">"default" (the published calendar shipped with the service), "county" (loaded by the county) or "weekends-only" (no data for the year).</param>
/// <param name="WorkingHours">The periods of each working day, China time.</param>
public sealed record CalendarResponse(int Year, string Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays,
    IReadOnlyList<string> WorkingHours, DateTimeOffset? UpdatedAt, int Version);

/// <summary>The county's case categories with their time limits, and its working calendar.</summary>
public static class TimeLimitsApi
{
    public static IEndpointRouteBuilder MapTimeLimitsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/grid").WithTags("Grid")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, GridDbContext>("grid");
        api.MapGet("/categories", ListCategoriesAsync).WithName("ListCaseCategories")
            .WithSummary("The case categories with their time limits (inactive ones too, marked)").RequireAuthorization(ReadsOrReports);
        api.MapGet("/categories/{code}", GetCategoryAsync).WithName("GetCaseCategory").RequireAuthorization(ReadsOrReports);
        api.MapPut("/categories/{code}", PutCategoryAsync).WithName("PutCaseCategory")
            .WithSummary("The county adds or changes a category (county administrators only)")
            .WithRequestExample("""{"name":"道路破损","acceptWithin":{"amount":8,"unit":"WorkingHours"},"handleWithin":{"amount":5,"unit":"WorkingDays"},"verifyWithin":{"amount":2,"unit":"WorkingDays"},"staysInGrid":false,"active":true}""")
            .RequireAuthorization(ApiScopes.GridWrite);
        api.MapGet("/calendar/{year:int}", GetCalendarAsync).WithName("GetWorkingCalendar")
            .WithSummary("A year's public holidays and 调休 working days, and the working hours").RequireAuthorization(ReadsOrReports);
        api.MapPut("/calendar/{year:int}", PutCalendarAsync).WithName("PutWorkingCalendar")
            .WithSummary("The county loads a year's calendar (county administrators only)")
            .WithRequestExample("""{"holidays":["2027-01-01","2027-01-02","2027-01-03"],"workdays":["2027-01-09"]}""")
            .RequireAuthorization(ApiScopes.GridWrite);
        return endpoints;
    }

    /// <summary>Anyone who reads grid cases or reports them needs the categories and the calendar their limits count on.</summary>
    private static void ReadsOrReports(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy) => policy
        .RequireAuthenticatedUser()
        .RequireAssertion(context => Caller.HasScope(context.User, ApiScopes.GridRead) || Caller.HasScope(context.User, ApiScopes.GridReport));

    public static async Task<Ok<List<CategoryResponse>>> ListCategoriesAsync(GridDbContext db, CancellationToken cancellationToken)
    {
        var categories = await db.CaseCategories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(categories.Select(CategoryResponse.From).ToList());
    }

    public static async Task<Ok<CategoryResponse>> GetCategoryAsync(string code, GridDbContext db, CancellationToken cancellationToken)
    {
        var category = await db.CaseCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code, cancellationToken)
            ?? throw new NotFoundException($"No category '{code}'.");
        return TypedResults.Ok(CategoryResponse.From(category));
    }

    public static async Task<Results<Created<CategoryResponse>, Ok<CategoryResponse>>> PutCategoryAsync(
        string code, CategoryRequest request, GridDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        EnsureCountyAdmin(caller, "case categories");
        var (accept, handle, verify) = (Limit("acceptWithin", request.AcceptWithin), Limit("handleWithin", request.HandleWithin), Limit("verifyWithin", request.VerifyWithin));
        var category = await db.CaseCategories.SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        var created = category is null;
        if (category is null)
        {
            category = CaseCategory.Create(code, request.Name, request.Description, accept, handle, verify, request.StaysInGrid ?? false, request.Active ?? true);
            db.CaseCategories.Add(category);
        }
        else
        {
            category.Update(request.Name, request.Description, accept, handle, verify, request.StaysInGrid ?? false, request.Active ?? true);
        }
        // Every grid cell holds the county's categories: the whole list goes out with the write, in its transaction.
        var now = time.GetUtcNow();
        var all = await db.CaseCategories.Where(c => c.Code != code).ToListAsync(cancellationToken);
        var revision = await CountySettings.NextRevisionAsync(db, CountySettings.Categories, now, cancellationToken);
        db.AddEvent(CountySettings.CategoriesChanged([.. all, category], DivisionCode.Parse(caller.DivisionScope), revision, now), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            throw new ConflictException($"Category '{code}' was changed by another request; read it and try again.");
        }
        var body = CategoryResponse.From(category);
        return created ? TypedResults.Created($"/api/v1/grid/categories/{code}", body) : TypedResults.Ok(body);
    }

    public static async Task<Ok<CalendarResponse>> GetCalendarAsync(int year, GridDbContext db, WorkingCalendarStore store, CancellationToken cancellationToken)
    {
        EnsureYear(year);
        var calendar = await db.Set<CalendarYear>().AsNoTracking().SingleOrDefaultAsync(y => y.Year == year, cancellationToken);
        return TypedResults.Ok(Response(year, calendar, store.Hours));
    }

    public static async Task<Ok<CalendarResponse>> PutCalendarAsync(
        int year, CalendarRequest request, GridDbContext db, Caller caller, WorkingCalendarStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        EnsureCountyAdmin(caller, "the working calendar");
        EnsureYear(year);
        if (request.Holidays is null)
        {
            throw new DomainValidationException("holidays", "The year's holidays are required (an empty list for none).");
        }
        var now = time.GetUtcNow();
        var calendar = await db.Set<CalendarYear>().SingleOrDefaultAsync(y => y.Year == year, cancellationToken);
        if (calendar is null)
        {
            calendar = new CalendarYear(year, request.Holidays, request.Workdays ?? [], CalendarSource.County, now);
            db.Add(calendar);
        }
        else
        {
            calendar.Replace(request.Holidays, request.Workdays ?? [], now);
        }
        // Every grid cell counts on the county's calendar: the year goes out with the write, in its transaction.
        var revision = await CountySettings.NextRevisionAsync(db, CountySettings.Calendar(year), now, cancellationToken);
        db.AddEvent(new WorkingCalendarChanged(Guid.CreateVersion7(now), now, DivisionCode.Parse(caller.DivisionScope), year, revision,
            calendar.Holidays, calendar.Workdays), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            throw new ConflictException($"The {year} calendar was loaded by another request at the same time; read it and try again.");
        }
        store.Invalidate();
        return TypedResults.Ok(Response(year, calendar, store.Hours));
    }

    /// <summary>Categories and the calendar are the county's to set: a county administrator whose scope is the county itself.</summary>
    private static void EnsureCountyAdmin(Caller caller, string what)
    {
        if (caller.Role != PracticeMeshRoles.CountyAdmin || caller.DivisionScope.Length != 6)
        {
            throw new ForbiddenException($"Only the county's administrators set {what}.");
        }
    }

    private static void EnsureYear(int year)
    {
        if (year is < 2000 or > 2100)
        {
            throw new DomainValidationException("year", "A year from 2000 to 2100.");
        }
    }

    private static WorkingTime? Limit(string field, LimitBody? body)
    {
        if (body is null)
        {
            return null;
        }
        if (!Enum.TryParse<LimitUnit>(body.Unit, ignoreCase: true, out var unit) || !Enum.IsDefined(unit) || int.TryParse(body.Unit, out _))
        {
            throw new DomainValidationException(field, $"The unit is {LimitUnit.WorkingHours} or {LimitUnit.WorkingDays}.");
        }
        return new WorkingTime(body.Amount ?? 0, unit);
    }

    private static CalendarResponse Response(int year, CalendarYear? calendar, WorkingHours hours) => new(
        year,
        calendar?.Source switch
        {
            null => "weekends-only",
            CalendarSource.County => "county",
            _ => "default",
        },
        calendar?.Holidays ?? [],
        calendar?.Workdays ?? [],
        [.. hours.Periods.Select(p => $"{p.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{p.End.ToString("HH:mm", CultureInfo.InvariantCulture)}")],
        calendar?.UpdatedAt,
        calendar?.Version ?? 0);
}
