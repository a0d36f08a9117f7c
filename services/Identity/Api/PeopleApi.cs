using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Http.Idempotency;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Identity.Api;

public sealed record CreatePersonRequest(string? UserName, string? DisplayName, string? Password, string? Role, string? Division);

/// <summary>What to change about a person; a field left out stays as it is.</summary>
public sealed record UpdatePersonRequest(string? DisplayName, string? Role, string? Division);

public sealed record LinkVolunteerRequest(Guid? VolunteerId);

public sealed record PersonResponse(Guid Id, string UserName, string DisplayName, string Role, string Division, bool Active, DateTimeOffset CreatedAt, Guid? VolunteerId)
{
    public static PersonResponse From(Person p) => new(p.Id, p.UserName, p.DisplayName, p.Role, p.DivisionCode, p.Active, p.CreatedAt, p.VolunteerId);
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
        api.MapPut("/{id:guid}", UpdateAsync).WithRequestExample("""{"role":"station_admin","division":"321324104201"}""").WithName("UpdatePerson")
            .WithSummary("Change a person's display name, role or division; a role or division change ends their earlier tokens within seconds");
        api.MapPut("/{id:guid}/volunteer", LinkVolunteerAsync).WithRequestExample("""{"volunteerId":"0193a5c2-7d4e-7b1a-9c3f-2e8d4b6a1f00"}""").WithName("LinkPersonToVolunteer")
            .WithSummary("Link the person's login to the volunteer record they are (an admin who covers both); their tokens then carry volunteer_id");
        api.MapDelete("/{id:guid}/volunteer", UnlinkVolunteerAsync).WithName("UnlinkPersonFromVolunteer")
            .WithSummary("Unlink the person's login from its volunteer record");
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
        db.AddEvent(person.ToChangedEvent(time.GetUtcNow()), time.GetUtcNow());
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

    public static async Task<Ok<PersonResponse>> DeactivateAsync(Guid id, IdentityDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        if (person.Id.ToString() == caller.Subject)
        {
            throw new ConflictException("You cannot deactivate yourself.");
        }
        if (person.Active)
        {
            person.Deactivate();
            AccessRevocation.Revoke(db, person, RevocationReasons.Deactivated, time.GetUtcNow());
            db.AddEvent(person.ToChangedEvent(time.GetUtcNow()), time.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PersonResponse.From(person));
    }

    public static async Task<Ok<PersonResponse>> UpdateAsync(Guid id, UpdatePersonRequest request, IdentityDbContext db, Caller caller,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        // The same rules as creating: a division outside the caller's scope is forbidden, and only a county admin
        // makes a county admin.
        if (DivisionCode.TryParse(request.Division, out var division))
        {
            caller.EnsureMayCreateIn(division);
        }
        if (request.Role == PracticeMeshRoles.CountyAdmin && person.Role != PracticeMeshRoles.CountyAdmin && caller.Role != PracticeMeshRoles.CountyAdmin)
        {
            throw new ForbiddenException("Only a county admin can make a county admin.");
        }
        var before = person.Division;
        var nameBefore = person.DisplayName;
        if (person.Change(request.DisplayName, request.Role, request.Division))
        {
            AccessRevocation.Revoke(db, person, RevocationReasons.AccessChanged, time.GetUtcNow(), before);
            db.AddEvent(person.ToChangedEvent(time.GetUtcNow()), time.GetUtcNow());
        }
        else if (person.DisplayName != nameBefore)
        {
            db.AddEvent(person.ToChangedEvent(time.GetUtcNow()), time.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PersonResponse.From(person));
    }

    /// <summary>
    /// Links the person to a volunteer record identity has heard approved. The caller covers the person (or it is 404,
    /// as everywhere) and the volunteer (an unknown volunteer and one outside the scope alike are 404); a volunteer
    /// another login holds is 409.
    /// </summary>
    public static async Task<Ok<PersonResponse>> LinkVolunteerAsync(Guid id, LinkVolunteerRequest request, IdentityDbContext db, Caller caller,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.VolunteerId is not { } volunteerId || volunteerId == Guid.Empty)
        {
            throw new DomainValidationException(new Dictionary<string, string[]> { ["volunteerId"] = ["The id of the volunteer record this person is."] });
        }
        var person = await FindAsync(id, db, caller, cancellationToken);
        var volunteer = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == volunteerId, cancellationToken);
        if (volunteer is not { IsApproved: true } || !caller.Covers(volunteer.Division))
        {
            throw new NotFoundException($"No volunteer {volunteerId}.");
        }
        var conflict = new ConflictException($"Volunteer {volunteerId} is linked to another login.");
        if (await db.People.AnyAsync(p => p.VolunteerId == volunteerId && p.Id != person.Id, cancellationToken))
        {
            throw conflict;
        }
        if (person.LinkVolunteer(volunteerId))
        {
            AccessRevocation.Revoke(db, person, RevocationReasons.VolunteerLinked, time.GetUtcNow());
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw conflict;
        }
        return TypedResults.Ok(PersonResponse.From(person));
    }

    public static async Task<Ok<PersonResponse>> UnlinkVolunteerAsync(Guid id, IdentityDbContext db, Caller caller, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        if (person.UnlinkVolunteer())
        {
            AccessRevocation.Revoke(db, person, RevocationReasons.VolunteerUnlinked, time.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PersonResponse.From(person));
    }

    public static async Task<Ok<PersonResponse>> ActivateAsync(Guid id, IdentityDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var person = await FindAsync(id, db, caller, cancellationToken);
        if (!person.Active)
        {
            person.Activate();
            db.AddEvent(person.ToChangedEvent(time.GetUtcNow()), time.GetUtcNow());
        }
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
