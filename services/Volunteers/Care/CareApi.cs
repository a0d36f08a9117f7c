using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Api;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

/// <summary>
/// What every care handler uses, as one parameter: the database, the caller, the clock, the settings and the request.
/// A scoped service, so each request has one instant (<see cref="Now"/>) throughout.
/// </summary>
public sealed class CareServices(VolunteersDbContext db, Caller caller, TimeProvider time, AcceptedDates dates, IOptions<CareOptions> options,
    IHttpContextAccessor accessor)
{
    private DateTimeOffset? _now;

    public VolunteersDbContext Db { get; } = db;
    public Caller Caller { get; } = caller;
    public AcceptedDates Dates { get; } = dates;
    public CareOptions Options { get; } = options.Value;
    public HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("Care handlers run within a request.");

    public DateTimeOffset Now => _now ??= time.GetUtcNow();
    public DateOnly Today => ChinaTime.Today(Now);
}

public sealed record RegisterCareRecipientRequest(
    [property: Required] string? Name,
    [property: Required] CareRecipientCategory? Category,
    [property: Required] string? Address,
    [property: Required] string? StationCode,
    string? IdCardNumber = null,
    string? Mobile = null);

/// <summary>Only the fields given change; an empty <c>idCardNumber</c> or <c>mobile</c> removes it.</summary>
public sealed record UpdateCareRecipientRequest(string? Name, CareRecipientCategory? Category, string? Address, string? IdCardNumber, string? Mobile);

public sealed record CareReasonRequest(string? Reason);

/// <summary>A care recipient as every response shows them: ID number and phone masked, no birth date.</summary>
public sealed record CareRecipientResponse(Guid Id, string Name, CareRecipientCategory Category, string Address, string StationCode,
    string? IdCardNumber, string? Mobile, Sex? Sex, int? BirthYear, CareRecipientStatus Status, DateTimeOffset RegisteredAt,
    DateTimeOffset? RetiredAt, string? RetirementReason)
{
    public static CareRecipientResponse From(CareRecipient r) => new(r.Id, r.Name, r.Category, r.Address, r.DivisionCode.Value, r.IdCardMasked,
        r.MobileMasked, r.Sex, r.BirthDate?.Year, r.Status, r.RegisteredAt, r.RetiredAt, r.RetirementReason);
}

/// <summary>The unmasked personal data, for an entitled admin only; every read is audited.</summary>
public sealed record CareRecipientPersonalDataResponse(Guid Id, string Name, string? IdCardNumber, string? Mobile, DateOnly? BirthDate);

/// <summary>
/// Care (结对帮扶): the register of people a station serves, volunteers paired one-to-one with them, and the visits
/// that credit the volunteers' hours, under <c>/api/v1/volunteers/care</c>.
/// </summary>
public static class CareApi
{
    public const string Path = "/api/v1/volunteers/care";

    public static IEndpointRouteBuilder MapCareApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Path).WithTags("Care")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, VolunteersDbContext>("volunteers");
        api.MapPost("/recipients", RegisterAsync).WithName("RegisterCareRecipient")
            .WithSummary("Add a person the station serves (帮扶对象) to its register; ID number and phone optional, stored protected")
            .WithRequestExample("""{"name":"张桂英","category":"EmptyNestElderly","address":"重岗村三组12号","stationCode":"321324104201","idCardNumber":"321324194503120049","mobile":"13851234568"}""")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/recipients", SearchAsync).WithName("SearchCareRecipients")
            .WithSummary("The register under a division prefix, by station, category, status and name, a page at a time")
            .WithDescription($"Example: ?under=321324104&station=321324104201&category=EmptyNestElderly&status=Active&q=张&offset=0&limit=50. {VolunteersApi.TotalCountHeader} carries the total.")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/recipients/{id:guid}", GetAsync).WithName("GetCareRecipient").WithSummary("One person served, personal data masked")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapPatch("/recipients/{id:guid}", UpdateAsync).WithName("UpdateCareRecipient")
            .WithSummary("Change what is given; an empty idCardNumber or mobile removes it; the station stays")
            .WithRequestExample("""{"address":"重岗村三组14号","mobile":"13851234569"}""")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/recipients/{id:guid}/retire", RetireAsync).WithName("RetireCareRecipient")
            .WithSummary("Take a person off the active register; their pairings end today")
            .WithRequestExample("""{"reason":"已随子女迁居县城"}""")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/recipients/{id:guid}/personal-data", PersonalDataAsync).WithName("GetCareRecipientPersonalData")
            .WithSummary("The full ID number and phone, for an admin whose division covers the person; each view is audited")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapPairingsApi();
        api.MapVisitsApi();
        return endpoints;
    }

    public static async Task<Created<CareRecipientResponse>> RegisterAsync(RegisterCareRecipientRequest request, CareServices care,
        PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        if (DivisionCode.TryParse(request.StationCode, out var station))
        {
            care.Caller.EnsureMayCreateIn(station);
        }
        var recipient = CareRecipient.Register(request.StationCode,
            new CareRecipientDetails(request.Name, request.Category, request.Address, request.IdCardNumber, request.Mobile), protector, care.Now);
        await EnsureNotRegisteredAsync(recipient, care.Db, cancellationToken);
        care.Db.CareRecipients.Add(recipient);
        await SaveAsync(care.Db, DuplicateRecipient, cancellationToken);
        return TypedResults.Created($"{Path}/recipients/{recipient.Id}", CareRecipientResponse.From(recipient));
    }

    public static async Task<Ok<List<CareRecipientResponse>>> SearchAsync(CareServices care, string? under, string? station,
        CareRecipientCategory? category, CareRecipientStatus? status, string? q, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var (skip, take) = Page(offset, limit);
        DivisionCode stationCode = default;
        if (station is not null && !DivisionCode.TryParse(station, out stationCode, out var stationError))
        {
            throw new DomainValidationException("station", stationError);
        }
        var prefix = care.Caller.ListPrefix(under);
        if (prefix is null)
        {
            care.Http.Response.Headers[VolunteersApi.TotalCountHeader] = "0";
            return TypedResults.Ok(new List<CareRecipientResponse>());
        }
        var query = care.Db.CareRecipients.AsNoTracking().Where(r => ((string)r.DivisionCode).StartsWith(prefix));
        if (station is not null)
        {
            query = query.Where(r => r.DivisionCode == stationCode);
        }
        if (category is { } c)
        {
            query = query.Where(r => r.Category == c);
        }
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var name = q.Trim();
            query = query.Where(r => r.Name.Contains(name));
        }
        care.Http.Response.Headers[VolunteersApi.TotalCountHeader] = (await query.CountAsync(cancellationToken)).ToString(CultureInfo.InvariantCulture);
        var page = await query.OrderBy(r => r.Name).ThenBy(r => r.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(CareRecipientResponse.From).ToList());
    }

    public static async Task<Ok<CareRecipientResponse>> GetAsync(Guid id, CareServices care, CancellationToken cancellationToken) =>
        TypedResults.Ok(CareRecipientResponse.From(await FindRecipientAsync(id, care, cancellationToken)));

    public static async Task<Ok<CareRecipientResponse>> UpdateAsync(Guid id, UpdateCareRecipientRequest request, CareServices care,
        PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        var recipient = await FindRecipientAsync(id, care, cancellationToken);
        recipient.Update(new CareRecipientDetails(request.Name, request.Category, request.Address, request.IdCardNumber, request.Mobile), protector, care.Now);
        await EnsureNotRegisteredAsync(recipient, care.Db, cancellationToken);
        await SaveAsync(care.Db, DuplicateRecipient, cancellationToken);
        return TypedResults.Ok(CareRecipientResponse.From(recipient));
    }

    /// <summary>Retiring a person ends their open pairings today: nobody is asked to visit someone no longer served.</summary>
    public static async Task<Ok<CareRecipientResponse>> RetireAsync(Guid id, CareReasonRequest request, CareServices care,
        CancellationToken cancellationToken)
    {
        var recipient = await FindRecipientAsync(id, care, cancellationToken);
        recipient.Retire(request.Reason, care.Now);
        var open = await care.Db.CarePairings.Where(p => p.RecipientId == recipient.Id && p.EndedAt == null).ToListAsync(cancellationToken);
        foreach (var pairing in open)
        {
            // Visits are never in the future and always inside their pairing, so none lies after this day.
            var lastDay = care.Today < pairing.StartsOn ? pairing.StartsOn.AddDays(-1) : care.Today < pairing.EndsOn ? care.Today : pairing.EndsOn;
            pairing.End(lastDay, "The person was retired from the care register.", null, care.Now);
        }
        await care.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CareRecipientResponse.From(recipient));
    }

    /// <summary>Only an admin whose division covers the person sees the full numbers; the view is committed to the audit trail first.</summary>
    public static async Task<Ok<CareRecipientPersonalDataResponse>> PersonalDataAsync(Guid id, CareServices care,
        PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        if (care.Caller.Role is not { } role || !PracticeMeshRoles.Admins.Contains(role))
        {
            throw new ForbiddenException("Only a county, township or station admin may see a care recipient's full personal data.");
        }
        var recipient = await FindRecipientAsync(id, care, cancellationToken);
        care.Db.AddEvent(AuditTrail.Record(care.Http, "volunteers", care.Now, $"viewed personal data (ID number, mobile) of care recipient {recipient.Id}"), care.Now);
        await care.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new CareRecipientPersonalDataResponse(recipient.Id, recipient.Name, recipient.RevealIdCardNumber(protector),
            recipient.RevealMobile(protector), recipient.BirthDate));
    }

    /// <summary>Outside the caller's division a person served does not exist for them (404, the same words as an unknown id).</summary>
    internal static async Task<CareRecipient> FindRecipientAsync(Guid id, CareServices care, CancellationToken cancellationToken)
    {
        var recipient = await care.Db.CareRecipients.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return recipient is not null && care.Caller.Covers(recipient.DivisionCode) ? recipient : throw new NotFoundException($"No care recipient {id}.");
    }

    internal static (int Skip, int Take) Page(int? offset, int? limit)
    {
        var take = limit ?? 50;
        if (take is < 1 or > VolunteersApi.MaxPageSize)
        {
            throw new DomainValidationException("limit", $"limit is 1-{VolunteersApi.MaxPageSize}.");
        }
        return (offset ?? 0) >= 0 ? (offset ?? 0, take) : throw new DomainValidationException("offset", "offset is 0 or more.");
    }

    internal static async Task SaveAsync(VolunteersDbContext db, Func<ConflictException> conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw conflict();
        }
    }

    /// <summary>County-wide, whatever the caller's scope; the answer names nobody.</summary>
    private static async Task EnsureNotRegisteredAsync(CareRecipient recipient, VolunteersDbContext db, CancellationToken cancellationToken)
    {
        if (recipient.IdCardHash is { } hash && await db.CareRecipients.AnyAsync(r => r.IdCardHash == hash && r.Id != recipient.Id, cancellationToken))
        {
            throw DuplicateRecipient();
        }
    }

    private static ConflictException DuplicateRecipient() => new("This person is already in the care register; a person is registered once.");
}
