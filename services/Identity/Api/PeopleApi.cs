using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Api;

public sealed record CreatePersonRequest(string? UserName, string? DisplayName, string? Password, string? Role, string? Division);

public sealed record PersonResponse(Guid Id, string UserName, string DisplayName, string Role, string Division, bool Active, DateTimeOffset CreatedAt)
{
    public static PersonResponse From(Person p) => new(p.Id, p.UserName, p.DisplayName, p.Role, p.DivisionCode, p.Active, p.CreatedAt);
}

/// <summary>
/// <c>/api/v1/identity/people</c>: county admins manage people anywhere in their county, township admins only within
/// their township, and only a county admin makes another county admin.
/// </summary>
public static class PeopleApi
{
    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/identity/people").WithTags("Identity")
            // As at the gateway (route metadata "Idempotency": "off"): answers with secrets are never stored.
            .SkipIdempotency()
            .RequireAuthorization(policy => policy.RequireRole(PracticeMeshRoles.CountyAdmin, PracticeMeshRoles.TownshipAdmin))
            .AuditAdminWrites<RouteGroupBuilder, IdentityDbContext>("identity");
        api.MapPost("/", CreateAsync).WithRequestExample("""{"userName":"qingyang.admin","displayName":"青阳镇管理员","password":"Qingyang-2026-admin","role":"township_admin","division":"321324104"}""").WithName("CreatePerson").WithSummary("Create a person who signs in with a user name and password");
        api.MapGet("/", ListAsync).WithName("ListPeople").WithSummary("People whose division starts with a prefix, within the caller's scope");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetPerson");
        api.MapPost("/{id:guid}/deactivate", DeactivateAsync).WithName("DeactivatePerson").WithSummary("Refuse the person's sign-ins and token refreshes from now on");
        api.MapPost("/{id:guid}/activate", ActivateAsync).WithName("ActivatePerson");
        return endpoints;
    }

    public static async Task<Created<PersonResponse>> CreateAsync(CreatePersonRequest request, IdentityDbContext db, Caller caller,
        IPasswordHasher<Person> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DivisionCode.TryParse(request.Division, out var division))
        {
            caller.EnsureMayCreateIn(division);
        }
        if (request.Role == PracticeMeshRoles.CountyAdmin && caller.Role != PracticeMeshRoles.CountyAdmin)
        {
            throw new ForbiddenException("Only a county admin can create a county admin.");
        }
        var person = Person.Create(request.UserName, request.DisplayName, request.Password, request.Role, request.Division,
            hasher.HashPassword, time.GetUtcNow());
        var conflict = new ConflictException($"The user name {person.UserName} is taken.");
        if (await db.People.AnyAsync(p => p.UserName == person.UserName, cancellationToken))
        {
            throw conflict;
        }
        db.People.Add(person);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw conflict;
        }
        return TypedResults.Created($"/api/v1/identity/people/{person.Id}", PersonResponse.From(person));
    }

    public static async Task<Ok<List<PersonResponse>>> ListAsync(string? under, string? role, IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<PersonResponse>());
        }
        var query = db.People.AsNoTracking().Where(p => p.DivisionCode.StartsWith(prefix));
        if (!string.IsNullOrEmpty(role))
        {
            query = query.Where(p => p.Role == role);
        }
        var people = await query.OrderBy(p => p.DivisionCode).ThenBy(p => p.UserName).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(people.Select(PersonResponse.From).ToList());
    }

    public static async Task<Ok<PersonResponse>> GetAsync(Guid id, IdentityDbContext db, Caller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(PersonResponse.From(await FindAsync(id, db, caller, cancellationToken)));

    public static async Task<Ok<PersonResponse>> DeactivateAsync(Guid id, IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        if (person.Id.ToString() == caller.Subject)
        {
            throw new ConflictException("You cannot deactivate yourself.");
        }
        person.Deactivate();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PersonResponse.From(person));
    }

    public static async Task<Ok<PersonResponse>> ActivateAsync(Guid id, IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        person.Activate();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PersonResponse.From(person));
    }

    private static async Task<Person> FindAsync(Guid id, IdentityDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (person is null || !caller.Covers(person.Division))
        {
            throw new NotFoundException($"No person {id}.");
        }
        return person;
    }
}
