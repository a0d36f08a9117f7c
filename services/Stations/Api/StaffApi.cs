using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record AddStaffRequest(string? Name, StaffRole Role, string? Post);

public sealed record StaffMemberResponse(Guid Id, string Name, StaffRole Role, string? Post, DateTimeOffset AddedAt)
{
    public static StaffMemberResponse From(StaffMember m) => new(m.Id, m.Name, m.Role, m.Post, m.AddedAt);
}

/// <summary>
/// A site's staffing: <c>met</c> when it has at least <c>requiredMin</c> staff; <c>requiredMax</c> is the top of the
/// usual range, and <c>aboveUsualRange</c> says (as information, never as a fault) that it has more.
/// </summary>
public sealed record StaffingResponse(string StationCode, string Name, string Kind, int StaffCount, int? RequiredMin, int? RequiredMax, bool Met,
    bool AboveUsualRange, string? HeadName, string? DeputyName)
{
    public static StaffingResponse From(Station s, StaffingStatus status) =>
        new(s.Code, s.Name, s.Kind.ToString(), status.StaffCount, status.RequiredMin, status.RequiredMax, status.Met, status.AboveUsualRange,
            status.HeadName, status.DeputyName);
}

public sealed record RosterResponse(StaffingResponse Staffing, List<StaffMemberResponse> Members);

/// <summary>The sites under a prefix: how many meet the minimum, how many are below it, how many are above the usual range.</summary>
public sealed record StaffingReport(int Sites, int Met, int Unmet, int AboveUsualRange, List<StaffingResponse> Stations);

/// <summary>Leaders (站长/所长, deputy) and full- and part-time staff, and the staffing minimum.</summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/staff", RosterAsync).WithName("GetStationStaff")
            .WithSummary("A site's head, deputy and staff, and whether it has the minimum staff (by default institute 2, station 1; usually up to 3 and 2)")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapPost("/{code}/staff", AddAsync).WithName("AddStationStaff")
            .WithSummary("Add the head, the deputy or a full- or part-time staff member; every staff member is recorded, however many a site has")
            .WithDescription("Example: {\"name\":\"王明\",\"role\":\"Head\",\"post\":\"村党支部书记\"}; roles: Head, Deputy, FullTime, PartTime.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapDelete("/{code}/staff/{id:guid}", RemoveAsync).WithName("RemoveStationStaff")
            .WithSummary("Remove a leader or staff member")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/staffing", ReportAsync).WithName("GetStaffingReport")
            .WithSummary("Every institute and station under a prefix (e.g. a township): below the staffing minimum, and above the usual range as information")
            .WithDescription("Example: ?under=321324104&met=false lists the sites of that township below the minimum; ?aboveUsualRange=true those with more staff than usual.")
            .RequireAuthorization(ApiScopes.StationsRead);
        return api;
    }

    public static async Task<Ok<RosterResponse>> RosterAsync(string code, StationsDbContext db, Caller caller, StaffingRule rule, CancellationToken cancellationToken)
    {
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken, tracked: false);
        var members = await db.Staff.AsNoTracking().Where(m => m.StationCode == station.Code).OrderBy(m => m.Role).ThenBy(m => m.AddedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RosterResponse(StaffingResponse.From(station, rule.Evaluate(station, members)), members.Select(StaffMemberResponse.From).ToList()));
    }

    public static async Task<Created<StaffMemberResponse>> AddAsync(
        string code, AddStaffRequest request, StationsDbContext db, Caller caller, StaffingRule rule, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        var members = await db.Staff.Where(m => m.StationCode == station.Code).ToListAsync(cancellationToken);
        var member = StaffingRule.Add(station, members, request.Name, request.Role, request.Post, now);
        db.Staff.Add(member);
        db.AddEvent(StaffingRule.ToEvent(station, rule.Evaluate(station, [.. members, member]), now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/stations/{station.Code}/staff/{member.Id}", StaffMemberResponse.From(member));
    }

    public static async Task<NoContent> RemoveAsync(
        string code, Guid id, StationsDbContext db, Caller caller, StaffingRule rule, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        var members = await db.Staff.Where(m => m.StationCode == station.Code).ToListAsync(cancellationToken);
        var member = members.SingleOrDefault(m => m.Id == id) ?? throw new NotFoundException($"No staff member {id} at {station.Code}.");
        db.Staff.Remove(member);
        members.Remove(member);
        db.AddEvent(StaffingRule.ToEvent(station, rule.Evaluate(station, members), now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<StaffingReport>> ReportAsync(string? under, bool? met, bool? aboveUsualRange, StationsDbContext db, Caller caller, StaffingRule rule,
        CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new StaffingReport(0, 0, 0, 0, []));
        }
        var stations = await db.Stations.AsNoTracking()
            .Where(s => s.Code.StartsWith(prefix) && s.Status == StationStatus.Active && s.Kind != Contracts.Events.V1.StationKind.CountyCentre)
            .OrderBy(s => s.Code).ToListAsync(cancellationToken);
        var staff = (await db.Staff.AsNoTracking().Where(m => m.StationCode.StartsWith(prefix)).ToListAsync(cancellationToken))
            .ToLookup(m => m.StationCode);
        var rows = stations.Select(s => StaffingResponse.From(s, rule.Evaluate(s, staff[s.Code].ToList()))).ToList();
        var metCount = rows.Count(r => r.Met);
        var listed = rows.Where(r => (met is not { } wantedMet || r.Met == wantedMet)
            && (aboveUsualRange is not { } wantedAbove || r.AboveUsualRange == wantedAbove)).ToList();
        return TypedResults.Ok(new StaffingReport(rows.Count, metCount, rows.Count - metCount, rows.Count(r => r.AboveUsualRange), listed));
    }
}
