using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Publishing;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Honours;

public sealed record ConfirmHonoursRequest(IReadOnlyList<Guid>? VolunteerIds, IReadOnlyList<Guid>? TeamIds);

public sealed record HonourEntryResponse(Guid Id, string Name, string HomeStationCode, JsonElement Figures);

public sealed record HonourListResponse(string County, int Year, int SchemeVersion, DateTimeOffset ConfirmedAt, string? ConfirmedBy,
    IReadOnlyList<HonourEntryResponse> Volunteers, IReadOnlyList<HonourEntryResponse> Teams);

/// <summary>
/// Outstanding volunteers and teams (评优) under <c>/api/v1/assessment/honours</c>: the candidates the scheme's criteria
/// pick from the facts, the county's confirmation (once a year, audited), and the confirmed list.
/// </summary>
public static class HonoursApi
{
    public static RouteGroupBuilder MapHonoursApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment/honours").WithTags("Assessment honours")
            .RequireAuthorization(ApiScopes.AssessmentRead)
            .AuditAdminWrites<RouteGroupBuilder, AssessmentDbContext>("assessment");
        api.MapGet("/{county}/{year:int}/candidates", CandidatesAsync).WithName("ListHonourCandidates")
            .WithSummary("Volunteers and teams meeting the year's criteria (hours, activities, ratings, no suspension or correction), with their figures");
        api.MapPost("/{county}/{year:int}/confirm", ConfirmAsync).WithName("ConfirmHonours")
            .WithSummary("Confirm the county's outstanding volunteers and teams for the year, from the current candidates (once)")
            .WithRequestExample("""{"volunteerIds":["0196a3f0-7a1e-7c3d-9d2e-4f5a6b7c8d9e"],"teamIds":[]}""")
            .RequireAuthorization(ApiScopes.AssessmentWrite);
        api.MapGet("/{county}/{year:int}", ConfirmedAsync).WithName("GetHonours")
            .WithSummary("The county's confirmed outstanding volunteers and teams for the year");
        return api;
    }

    public static async Task<Ok<HonourCandidatesResponse>> CandidatesAsync(string county, int year, HonourCandidates candidates, Caller caller,
        CancellationToken cancellationToken)
    {
        var code = PublishingApi.County(county, "county");
        EnsureYear(year);
        caller.EnsureCovers(code, $"county {code}");
        return TypedResults.Ok(await candidates.ForYearAsync(code.Value, year, cancellationToken));
    }

    public static async Task<Created<HonourListResponse>> ConfirmAsync(string county, int year, ConfirmHonoursRequest? request, HonourCandidates candidates,
        AssessmentDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var code = PublishingApi.County(county, "county");
        EnsureYear(year);
        caller.EnsureMayCreateIn(code);
        // The year's outstanding volunteers and teams are chosen on the whole year: not before it has ended (China time).
        if (ChinaTime.Year(year).End > time.GetUtcNow())
        {
            throw new ConflictException($"The year {year} has not ended: its outstanding volunteers and teams are confirmed from {year + 1}-01-01 on.");
        }
        var volunteerIds = (request?.VolunteerIds ?? []).Distinct().ToList();
        var teamIds = (request?.TeamIds ?? []).Distinct().ToList();
        if (volunteerIds.Count == 0 && teamIds.Count == 0)
        {
            throw new DomainValidationException("volunteerIds", "Name at least one volunteer or team to confirm.");
        }
        if (await db.HonourLists.AnyAsync(l => l.County == code.Value && l.Year == year, cancellationToken))
        {
            throw AlreadyConfirmed(code, year);
        }
        var current = await candidates.ForYearAsync(code.Value, year, cancellationToken);
        var volunteers = current.Volunteers.ToDictionary(v => v.VolunteerId);
        var teams = current.Teams.ToDictionary(t => t.TeamId);
        var errors = new Dictionary<string, string[]>();
        if (volunteerIds.Where(id => !volunteers.ContainsKey(id)).ToList() is { Count: > 0 } notVolunteers)
        {
            errors["volunteerIds"] = [$"Not a current candidate: {string.Join(", ", notVolunteers)}."];
        }
        if (teamIds.Where(id => !teams.ContainsKey(id)).ToList() is { Count: > 0 } notTeams)
        {
            errors["teamIds"] = [$"Not a current candidate: {string.Join(", ", notTeams)}."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var now = time.GetUtcNow();
        var list = HonourList.From(code.Value, year, current.Scheme.Version, now, caller.Name ?? caller.Subject ?? caller.ClientId);
        db.HonourLists.Add(list);
        var entries = volunteerIds.Select(id => volunteers[id])
            .Select(v => HonourEntry.From(code.Value, year, HonourKind.Volunteer, v.VolunteerId, v.Name, v.HomeStationCode, JsonSerializer.Serialize(v, DefaultScheme.Json)))
            .Concat(teamIds.Select(id => teams[id])
                .Select(t => HonourEntry.From(code.Value, year, HonourKind.Team, t.TeamId, t.Name, t.HomeStationCode, JsonSerializer.Serialize(t, DefaultScheme.Json))))
            .ToList();
        db.HonourEntries.AddRange(entries);
        try
        {
            // The admin-writes filter queued the audit record: it commits with the list or not at all.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw AlreadyConfirmed(code, year);
        }
        return TypedResults.Created($"/api/v1/assessment/honours/{code}/{year}", From(list, entries));
    }

    public static async Task<Ok<HonourListResponse>> ConfirmedAsync(string county, int year, AssessmentDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var code = PublishingApi.County(county, "county");
        EnsureYear(year);
        PublishingApi.EnsureReads(caller, code);
        var list = await db.HonourLists.AsNoTracking().FirstOrDefaultAsync(l => l.County == code.Value && l.Year == year, cancellationToken)
            ?? throw new NotFoundException($"County {code} has not confirmed its outstanding volunteers and teams for {year}.");
        var entries = await db.HonourEntries.AsNoTracking().Where(e => e.County == code.Value && e.Year == year).ToListAsync(cancellationToken);
        return TypedResults.Ok(From(list, entries));
    }

    private static HonourListResponse From(HonourList list, List<HonourEntry> entries)
    {
        List<HonourEntryResponse> Of(HonourKind kind) => [.. entries.Where(e => e.Kind == kind)
            .Select(e => new HonourEntryResponse(e.SubjectId, e.Name, e.HomeStationCode, JsonDocument.Parse(e.FiguresJson).RootElement.Clone()))];
        return new(list.County, list.Year, list.SchemeVersion, list.ConfirmedAt, list.ConfirmedBy, Of(HonourKind.Volunteer), Of(HonourKind.Team));
    }

    private static void EnsureYear(int year)
    {
        if (year is < 2000 or > 9999)
        {
            throw new DomainValidationException("year", "A year from 2000 on.");
        }
    }

    private static ConflictException AlreadyConfirmed(DivisionCode county, int year) =>
        new($"County {county} has already confirmed its outstanding volunteers and teams for {year}.");
}
