using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Contracts;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

public sealed record RegisterVolunteerRequest(string? Name, string? HomeStationCode);

public sealed record RejectVolunteerRequest(string? Reason);

public sealed record VolunteerResponse(Guid Id, string Name, string HomeStationCode, VolunteerStatus Status, DateTimeOffset RegisteredAt, DateTimeOffset? ReviewedAt)
{
    public static VolunteerResponse From(Volunteer v) => new(v.Id, v.Name, v.DivisionCode.Value, v.Status, v.RegisteredAt, v.ReviewedAt);
}

public sealed record LedgerEntryResponse(Guid Id, LedgerEntryKind Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn, DateTimeOffset RecordedAt);

public sealed record HourLedgerResponse(Guid VolunteerId, decimal TotalHours, IReadOnlyList<LedgerEntryResponse> Entries);

public static class VolunteersApi
{
    public static IEndpointRouteBuilder MapVolunteersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/volunteers").WithTags("Volunteers")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, VolunteersDbContext>("volunteers");
        api.MapPost("/", RegisterAsync).WithName("RegisterVolunteer").RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/{id:guid}", GetAsync).WithName("GetVolunteer").RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveVolunteer").RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectVolunteer").RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/{id:guid}/hours", HoursAsync).WithName("GetHourLedger").WithSummary("The volunteer's hour ledger and total")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        return endpoints;
    }

    public static async Task<Created<VolunteerResponse>> RegisterAsync(RegisterVolunteerRequest request, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (DivisionCode.TryParse(request.HomeStationCode, out var home))
        {
            caller.EnsureMayCreateIn(home);
        }
        var volunteer = Volunteer.Register(request.Name, request.HomeStationCode, now);
        db.Volunteers.Add(volunteer);
        db.AddEvent(volunteer.ToRegisteredEvent(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/{volunteer.Id}", VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<VolunteerResponse>> GetAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(VolunteerResponse.From(await FindAsync(id, db, caller, cancellationToken)));

    public static async Task<Ok<VolunteerResponse>> ApproveAsync(Guid id, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(volunteer.Approve(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<VolunteerResponse>> RejectAsync(Guid id, RejectVolunteerRequest request, VolunteersDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        volunteer.Reject(request.Reason, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(VolunteerResponse.From(volunteer));
    }

    public static async Task<Ok<HourLedgerResponse>> HoursAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var volunteer = await FindAsync(id, db, caller, cancellationToken);
        var entries = await db.HourLedger.AsNoTracking()
            .Where(e => e.VolunteerId == volunteer.Id)
            .OrderBy(e => e.ServedOn)
            .ToListAsync(cancellationToken);
        var total = Math.Round(entries.Sum(e => e.Minutes) / 60m, 2);
        return TypedResults.Ok(new HourLedgerResponse(volunteer.Id, total,
            entries.Select(e => new LedgerEntryResponse(e.Id, e.Kind, e.ActivityId, e.Hours, e.ServedOn, e.RecordedAt)).ToList()));
    }

    private static async Task<Volunteer> FindAsync(Guid id, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var volunteer = await db.Volunteers.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        // Outside the caller's division the volunteer does not exist for them.
        if (volunteer is null || !caller.Covers(volunteer.DivisionCode))
        {
            throw new NotFoundException($"No volunteer {id}.");
        }
        return volunteer;
    }
}
