using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

/// <summary>A person registering themselves (自助注册): who they are; where is their login's village.</summary>
public sealed record SelfRegistrationRequest(
    [property: Required] string? RealName,
    [property: Required] string? IdNumber,
    [property: Required] string? Phone,
    [property: Required] PoliticalStatus? PoliticalStatus = null,
    List<VolunteerCategory>? Categories = null,
    List<string>? Skills = null);

public sealed record MyTeamResponse(Guid TeamId, string Name, TeamTier Tier, string HomeStationCode, DateTimeOffset JoinedAt);

/// <summary>The signed-in person's own volunteer record: as every response shows it (masked), with the teams they are in now.</summary>
public sealed record MyVolunteerResponse : VolunteerResponse
{
    public MyVolunteerResponse(Volunteer volunteer, bool linked, IReadOnlyList<MyTeamResponse> teams) : base(From(volunteer)) =>
        (Linked, Teams) = (linked, teams);

    /// <summary>Whether the login is linked to this record yet (false while a self-registration awaits review).</summary>
    public bool Linked { get; }

    public IReadOnlyList<MyTeamResponse> Teams { get; }
}

/// <summary>
/// What a person does for themselves: register as a volunteer, and read their own record, ledger, yearly obligation
/// and certificates. "Me" is the token's <c>volunteer_id</c>; every <c>/me</c> path resolves it to the id and runs the
/// same handler as the <c>/{id}</c> path, so there is one way to do each thing.
/// </summary>
public static class SelfServiceApi
{
    public const string NotLinked = "Your login is not linked to a volunteer record.";

    public static void MapSelfServiceApi(this RouteGroupBuilder api)
    {
        // Any signed-in person: a resident has no volunteers.* scope, and needs none to ask to become a volunteer.
        api.MapPost("/self-registrations", RegisterSelfAsync).WithName("RegisterMyself")
            .WithRequestExample("""{"realName":"王芳","idNumber":"321324199003070025","phone":"13851234567","politicalStatus":"Masses","skills":["广场舞"]}""")
            .WithSummary("A signed-in person registers themselves as a volunteer, pending review by the station of their login's village")
            .WithDescription("Example: {\"realName\":\"王芳\",\"idNumber\":\"321324199003070025\",\"phone\":\"13851234567\",\"politicalStatus\":\"Masses\"}. The same rules as an admin's registration (ID checksum, one registration per ID number, data masked and protected). One registration per person: a second while one is pending or approved is 409. Not for partner systems (403), nor for a login without a village or community (403).");
        api.MapGet("/me", MeAsync).WithName("GetMyVolunteerRecord")
            .WithSummary("My volunteer record (masked), status, star level, categories and teams; a self-registration shows here while it awaits review")
            .WithDescription("404 when the login is not linked to a volunteer record and has no registration of its own.");
        api.MapGet("/me/hours", MyHoursAsync).WithName("GetMyHourLedger").WithSummary("My hour ledger and total");
        api.MapGet("/me/obligations", MyObligationAsync).WithName("GetMyObligation")
            .WithSummary("My required, done and short hours for a year (default: this year)").WithDescription("Example: ?year=2026.");
        api.MapPost("/me/certificates", MyCertificateAsync).WithName("IssueMyCertificate")
            .WithRequestExample("""{"from":"2026-01-01","to":"2026-03-01"}""")
            .WithSummary("Take a service-record certificate of my own hours for a period; the answer carries the one-time verification code");
        api.MapGet("/me/certificates/{certificateId:guid}/pdf", MyCertificatePdfAsync).WithName("GetMyCertificatePdf");
    }

    public static async Task<Created<MyVolunteerResponse>> RegisterSelfAsync(SelfRegistrationRequest request, VolunteersDbContext db, Caller caller,
        PersonalDataProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (caller.Role is null or PracticeMeshRoles.Partner || !Guid.TryParse(caller.Subject, out var personId))
        {
            throw new ForbiddenException("A person registers themselves; a partner system registers volunteers through POST /api/v1/volunteers.");
        }
        if (!DivisionCode.TryParse(caller.DivisionScope, out var home) || home.Tier < DivisionTier.Village)
        {
            throw new ForbiddenException("Self-registration takes a login tied to a village or community; ask your station to register you.");
        }
        if (caller.VolunteerId is not null
            || await db.Volunteers.AnyAsync(v => v.PersonId == personId && v.Status != VolunteerStatus.Rejected, cancellationToken))
        {
            throw new ConflictException("You are already registered as a volunteer (or your registration awaits review); a person registers once.");
        }
        Volunteer volunteer;
        try
        {
            volunteer = Volunteer.Register(new Registration(request.RealName, request.IdNumber, request.Phone, request.PoliticalStatus,
                request.Categories, request.Skills, home.Value), protector, now, personId);
        }
        catch (DomainValidationException ex)
        {
            // The rules are the admin registration's; the field names are this request's.
            throw new DomainValidationException(ex.Errors.ToDictionary(e => e.Key switch
            {
                "name" => "realName",
                "idCardNumber" => "idNumber",
                "mobile" => "phone",
                _ => e.Key,
            }, e => e.Value));
        }
        // County-wide, like an admin's registration; the answer names nobody.
        if (await db.Volunteers.AnyAsync(v => v.IdCardHash == volunteer.IdCardHash, cancellationToken))
        {
            throw VolunteersApi.DuplicateRegistration();
        }
        db.Volunteers.Add(volunteer);
        db.AddEvent(volunteer.ToRegisteredEvent(now), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two registrations at once: the same ID number, or the same person twice.
            throw VolunteersApi.DuplicateRegistration();
        }
        return TypedResults.Created("/api/v1/volunteers/me", new MyVolunteerResponse(volunteer, linked: false, []));
    }

    public static async Task<Ok<MyVolunteerResponse>> MeAsync(VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        Volunteer? volunteer;
        if (caller.VolunteerId is { } id)
        {
            volunteer = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        }
        else if (Guid.TryParse(caller.Subject, out var personId) && caller.Role is not PracticeMeshRoles.Partner)
        {
            // Not linked yet: the person's own registration, while it awaits review (or after it was turned down).
            volunteer = await db.Volunteers.AsNoTracking().Where(v => v.PersonId == personId)
                .OrderByDescending(v => v.RegisteredAt).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            volunteer = null;
        }
        if (volunteer is null)
        {
            throw new NotFoundException(NotLinked);
        }
        var teams = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.VolunteerId == volunteer.Id && m.LeftAt == null)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new MyTeamResponse(t.Id, t.Name, t.Tier, t.DivisionCode.Value, m.JoinedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new MyVolunteerResponse(volunteer, caller.VolunteerId == volunteer.Id, [.. teams.OrderBy(t => t.JoinedAt)]));
    }

    public static Task<Ok<HourLedgerResponse>> MyHoursAsync(VolunteersDbContext db, Caller caller, CancellationToken cancellationToken) =>
        HoursApi.HoursAsync(Me(caller), db, caller, cancellationToken);

    public static Task<Ok<VolunteerObligation>> MyObligationAsync(int? year, VolunteersDbContext db, Caller caller, ObligationPolicy policy,
        AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken) =>
        ObligationsApi.VolunteerAsync(Me(caller), year, db, caller, policy, dates, time, cancellationToken);

    public static async Task<Created<IssuedCertificateResponse>> MyCertificateAsync(IssueCertificateRequest request, VolunteersDbContext db, Caller caller,
        PersonalDataProtector protector, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var issued = (await RecordsApi.IssueAsync(Me(caller), request, db, caller, protector, dates, time, cancellationToken)).Value!;
        var pdf = $"/api/v1/volunteers/me/certificates/{issued.Id}/pdf";
        return TypedResults.Created(pdf, issued with { PdfUrl = pdf });
    }

    public static Task<FileContentHttpResult> MyCertificatePdfAsync(Guid certificateId, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken) =>
        RecordsApi.PdfAsync(Me(caller), certificateId, db, caller, cancellationToken);

    /// <summary>The volunteer record the login is linked to.</summary>
    private static Guid Me(Caller caller) => caller.VolunteerId ?? throw new NotFoundException(NotLinked);
}
