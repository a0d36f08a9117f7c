using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

// Required in the document as in the rules; nullable so that a missing field is a 400 naming it, not a JSON error.
public sealed record RegisterVolunteerRequest(
    [property: Required] string? Name,
    [property: Required] string? HomeStationCode,
    [property: Required] string? IdCardNumber = null,
    [property: Required] string? Mobile = null,
    [property: Required] PoliticalStatus? PoliticalStatus = null,
    List<VolunteerCategory>? Categories = null,
    List<string>? Skills = null);

public sealed record ReasonRequest(string? Reason);

/// <summary>A volunteer as every response shows them: the ID number and phone masked, no birth date.</summary>
public record VolunteerResponse(
    Guid Id, string Name, string HomeStationCode, VolunteerStatus Status, string IdCardNumber, string Mobile, Sex Sex, int BirthYear,
    PoliticalStatus PoliticalStatus, IReadOnlyList<VolunteerCategory> Categories, IReadOnlyList<string> Skills, int StarLevel,
    DateTimeOffset RegisteredAt, DateTimeOffset? ReviewedAt, string? RejectionReason, DateTimeOffset? SuspendedAt, string? SuspensionReason)
{
    public static VolunteerResponse From(Volunteer v) => new(v.Id, v.Name, v.HomeStationCode, v.Status, v.IdCardMasked, v.MobileMasked,
        v.Sex, v.BirthDate.Year, v.PoliticalStatus, v.Categories, v.Skills, v.StarLevel, v.RegisteredAt, v.ReviewedAt, v.RejectionReason,
        v.SuspendedAt, v.SuspensionReason);
}

/// <summary>The unmasked personal data, for an entitled admin only; every read of it is audited.</summary>
public sealed record PersonalDataResponse(Guid Id, string Name, string IdCardNumber, string Mobile, DateOnly BirthDate, Sex Sex);

public static partial class VolunteersApi
{
    public const int MaxPageSize = 200;
    public const string TotalCountHeader = "X-Total-Count";

    public static IEndpointRouteBuilder MapVolunteersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/volunteers").WithTags("Volunteers")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, VolunteersDbContext>("volunteers");
        api.MapPost("/", RegisterAsync).WithName("RegisterVolunteer")
            .WithSummary("Register a volunteer by real name (实名注册); pending until reviewed")
            .WithDescription("Example: {\"name\":\"王芳\",\"idCardNumber\":\"321324199003070025\",\"mobile\":\"13851234567\",\"politicalStatus\":\"PartyMember\",\"categories\":[\"Cadre\"],\"skills\":[\"政策宣讲\"],\"homeStationCode\":\"321324104201\"}. A person registers once: a second registration with the same ID number is 409.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/", SearchAsync).WithName("SearchVolunteers")
            .WithSummary("Volunteers under a division prefix, by name, station, team, category and status, a page at a time")
            .WithDescription($"Example: ?under=321324104&q=王&station=321324104201&teamId=...&category=Cadre&status=Approved&offset=0&limit=50. {TotalCountHeader} carries the total.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/{id:guid}", GetAsync).WithName("GetVolunteer").WithSummary("One volunteer, personal data masked")
            .WithDescription("An admin reads the volunteers their division covers; a person linked to a volunteer record reads their own.")
            .RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        api.MapGet("/{id:guid}/personal-data", PersonalDataAsync).WithName("GetVolunteerPersonalData")
            .WithSummary("The full ID number and phone, for an admin whose division covers the volunteer; each view is audited")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveVolunteer").RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectVolunteer").WithDescription("Example: {\"reason\":\"非本村常住人员\"}.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/suspend", SuspendAsync).WithName("SuspendVolunteer").WithDescription("Example: {\"reason\":\"长期未参加活动\"}.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/reinstate", ReinstateAsync).WithName("ReinstateVolunteer").RequireAuthorization(ApiScopes.VolunteersWrite);

        api.MapHoursApi();
        api.MapObligationsApi();
        api.MapPerHeadApi();
        api.MapTeamsApi();
        api.MapRecordsApi();
        api.MapImportExportApi();
        api.MapSelfServiceApi();
        return endpoints;
    }

    public static async Task<Created<VolunteerResponse>> RegisterAsync(RegisterVolunteerRequest request, VolunteersDbContext db, Caller caller,
        PersonalDataProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (StationCode.TryParse(request.HomeStationCode, out var home))
        {
            caller.EnsureMayCreateIn(home.Place);
        }
        var volunteer = Volunteer.Register(new Registration(request.Name, request.IdCardNumber, request.Mobile, request.PoliticalStatus,
            request.Categories, request.Skills, request.HomeStationCode), protector, now);
        // County-wide, whatever the caller's scope; the answer names nobody.
        if (await db.Volunteers.AnyAsync(v => v.IdCardHash == volunteer.IdCardHash, cancellationToken))
        {
            throw DuplicateRegistration();
        }
        db.Volunteers.Add(volunteer);
        db.AddEvent(volunteer.ToRegisteredEvent(now), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw DuplicateRegistration();
        }
        return TypedResults.Created($"/api/v1/volunteers/{volunteer.Id}", VolunteerResponse.From(volunteer));
    }

    internal static ConflictException DuplicateRegistration() =>
        new("This person is already registered as a volunteer; a person registers once.");

    public static async Task<Ok<List<VolunteerResponse>>> SearchAsync(VolunteersDbContext db, Caller caller, HttpResponse response,
        string? under, string? q, string? station, Guid? teamId, VolunteerCategory? category, VolunteerStatus? status,
        int? offset, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        var skip = offset ?? 0;
        if (take is < 1 or > MaxPageSize)
        {
            throw new DomainValidationException("limit", $"limit is 1-{MaxPageSize}.");
        }
        if (skip < 0)
        {
            throw new DomainValidationException("offset", "offset is 0 or more.");
        }
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            response.Headers[TotalCountHeader] = "0";
            return TypedResults.Ok(new List<VolunteerResponse>());
        }
        var query = Filter(db, prefix, q, station, teamId, category, status);
        response.Headers[TotalCountHeader] = (await query.CountAsync(cancellationToken)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var page = await query.OrderBy(v => v.Name).ThenBy(v => v.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(VolunteerResponse.From).ToList());
    }

    /// <summary>The volunteers under <paramref name="prefix"/> that match a search: name, station, team, category and status.</summary>
    internal static IQueryable<Volunteer> Filter(VolunteersDbContext db, string prefix, string? q, string? station, Guid? teamId,
        VolunteerCategory? category, VolunteerStatus? status)
    {
        StationCode stationCode = default;
        if (station is not null && !StationCode.TryParse(station, out stationCode, out var stationError))
        {
            throw new DomainValidationException("station", stationError);
        }
        var query = db.Volunteers.AsNoTracking().Where(v => ((string)v.DivisionCode).StartsWith(prefix));
        if (station is not null)
        {
            // A place's own station holds the volunteers of its place who belong to no unit station there.
            var place = stationCode.Place;
            var unit = stationCode.IsUnit ? stationCode.Value : null;
            query = query.Where(v => v.DivisionCode == place && v.UnitStationCode == unit);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var name = q.Trim();
            query = query.Where(v => v.Name.Contains(name));
        }
        if (category is { } c)
        {
            var token = Volunteer.CategoryToken(c);
            query = query.Where(v => v.CategoryList.Contains(token));
        }
        if (status is { } s)
        {
            query = query.Where(v => v.Status == s);
        }
        if (teamId is { } team)
        {
            query = query.Where(v => db.TeamMemberships.Any(m => m.TeamId == team && m.VolunteerId == v.Id && m.LeftAt == null));
        }
        return query;
    }

    public static async Task<Ok<VolunteerResponse>> GetAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(VolunteerResponse.From((await FindActingForAsync(id, db, caller, cancellationToken)).Volunteer));

    /// <summary>
    /// Only an admin whose division covers the volunteer sees the full numbers, and the view itself is recorded in
    /// the audit trail, committed before the data leaves.
    /// </summary>
    public static async Task<Ok<PersonalDataResponse>> PersonalDataAsync(Guid id, HttpContext http, VolunteersDbContext db, Caller caller,
        PersonalDataProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        if (caller.Role is not { } role || !PracticeMeshRoles.Admins.Contains(role))
        {
            throw new ForbiddenException("Only a county, township or station admin may see a volunteer's full personal data.");
        }
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        var now = time.GetUtcNow();
        db.AddEvent(AuditTrail.Record(http, "volunteers", now, $"viewed personal data (ID number, mobile) of volunteer {volunteer.Id}"), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new PersonalDataResponse(volunteer.Id, volunteer.Name, volunteer.RevealIdCardNumber(protector),
            volunteer.RevealMobile(protector), volunteer.BirthDate, volunteer.Sex));
    }

    public static async Task<Ok<VolunteerResponse>> ApproveAsync(Guid id, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(volunteer.Approve(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<VolunteerResponse>> RejectAsync(Guid id, ReasonRequest request, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        volunteer.Reject(request.Reason, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<VolunteerResponse>> SuspendAsync(Guid id, ReasonRequest request, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(volunteer.Suspend(request.Reason, now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<VolunteerResponse>> ReinstateAsync(Guid id, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(volunteer.Reinstate(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    internal static async Task<Volunteer> FindAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var volunteer = await db.Volunteers.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        // Outside the caller's division the volunteer does not exist for them.
        if (volunteer is null || !caller.Covers(volunteer.DivisionCode))
        {
            throw new NotFoundException($"No volunteer {id}.");
        }
        return volunteer;
    }

    /// <summary>
    /// For reading a volunteer's records and for what a person does for a volunteer (ask for a correction, join or
    /// leave a team, take a certificate): the caller's own record whatever their division, someone else's only when
    /// their role acts for others and their division covers it (<see cref="Caller.EnsureActsFor"/>). Anything else
    /// answers as an unknown id. <see cref="OnBehalf.Other"/> tells a writing handler to audit the act.
    /// </summary>
    internal static async Task<(Volunteer Volunteer, OnBehalf OnBehalf)> FindActingForAsync(Guid id, VolunteersDbContext db, Caller caller,
        CancellationToken cancellationToken)
    {
        var volunteer = await db.Volunteers.SingleOrDefaultAsync(v => v.Id == id, cancellationToken)
            ?? throw new NotFoundException($"No volunteer {id}.");
        return (volunteer, caller.EnsureActsFor(volunteer.Id, volunteer.DivisionCode));
    }

    /// <summary>The admin approving a manual ledger entry: a person, not a partner system.</summary>
    internal static Approver RequireApprover(Caller caller)
    {
        if (caller.Role is not { } role || !PracticeMeshRoles.Admins.Contains(role) || caller.Subject is not { } subject)
        {
            throw new ForbiddenException("Only a county, township or station admin approves manual hours.");
        }
        return new Approver(subject, caller.Name ?? subject);
    }
}
