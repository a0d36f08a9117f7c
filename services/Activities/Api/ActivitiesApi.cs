using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Domain;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Api;

public sealed record CreateActivityRequest(string? StationCode, string? Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, Guid? TeamId);

public sealed record VolunteerRequest(Guid VolunteerId);

/// <summary>A check-in or check-out; <c>At</c> is the device's time, defaulting to now.</summary>
public sealed record AttendanceRequest(Guid VolunteerId, DateTimeOffset? At);

public sealed record SignUpResponse(Guid VolunteerId, DateTimeOffset SignedUpAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt);

public sealed record ActivityResponse(
    Guid Id, string StationCode, string Title, ActivityCategory Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    int Capacity, Guid? TeamId, ActivityStatus Status, DateTimeOffset? PublishedAt, DateTimeOffset? CompletedAt, IReadOnlyList<SignUpResponse> SignUps)
{
    public static ActivityResponse From(Activity a) => new(a.Id, a.StationCode, a.Title, a.Category, a.StartsAt, a.EndsAt, a.Capacity, a.TeamId,
        a.Status, a.PublishedAt, a.CompletedAt,
        a.SignUps.Select(s => new SignUpResponse(s.VolunteerId, s.SignedUpAt, s.CheckedInAt, s.CheckedOutAt)).ToList());
}

public static class ActivitiesApi
{
    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/activities").WithTags("Activities")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, ActivitiesDbContext>("activities");
        api.MapPost("/", CreateAsync).WithName("CreateActivity").WithSummary("Create a draft activity at a known station")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/{id:guid}", GetAsync).WithName("GetActivity").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPost("/{id:guid}/publish", PublishAsync).WithName("PublishActivity").RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/sign-ups", SignUpAsync).WithName("SignUpForActivity").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/check-ins", CheckInAsync).WithName("CheckIn").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/check-outs", CheckOutAsync).WithName("CheckOut").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/{id:guid}/complete", CompleteAsync).WithName("CompleteActivity").RequireAuthorization(ApiScopes.ActivitiesWrite);
        return endpoints;
    }

    public static async Task<Created<ActivityResponse>> CreateAsync(CreateActivityRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!DivisionCode.TryParse(request.StationCode, out var code, out var error))
        {
            throw new DomainValidationException("stationCode", error);
        }
        caller.EnsureMayCreateIn(code);
        var station = await db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == code.Value, cancellationToken)
            ?? throw new NotFoundException($"No station {code} is known here (yet): register it with the stations service first.");
        var activity = Activity.Create(station, request.Title, request.Category, request.StartsAt, request.EndsAt, request.Capacity, request.TeamId, time.GetUtcNow());
        db.Activities.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/activities/{activity.Id}", ActivityResponse.From(activity));
    }

    public static async Task<Ok<ActivityResponse>> GetAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(ActivityResponse.From(await FindAsync(id, db, caller, cancellationToken)));

    public static async Task<Ok<ActivityResponse>> PublishAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Publish(now), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    public static async Task<Ok<ActivityResponse>> SignUpAsync(Guid id, VolunteerRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var activity = await FindAsync(id, db, caller, cancellationToken);
        var volunteer = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == request.VolunteerId, cancellationToken)
            ?? throw new NotFoundException($"Volunteer {request.VolunteerId} is unknown or not approved.");
        activity.SignUp(volunteer, time.GetUtcNow());
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    public static async Task<Ok<ActivityResponse>> CheckInAsync(Guid id, AttendanceRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        activity.CheckIn(request.VolunteerId, request.At ?? now, now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    public static async Task<Ok<ActivityResponse>> CheckOutAsync(Guid id, AttendanceRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        activity.CheckOut(request.VolunteerId, request.At ?? now, now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    public static async Task<Ok<ActivityResponse>> CompleteAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activity = await FindAsync(id, db, caller, cancellationToken);
        db.AddEvent(activity.Complete(now), now);
        await SaveAsync(db, cancellationToken);
        return TypedResults.Ok(ActivityResponse.From(activity));
    }

    private static async Task<Activity> FindAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var activity = await db.Activities.Include(a => a.SignUps).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        // Outside the caller's division the activity does not exist for them.
        if (activity is null || !caller.Covers(activity.DivisionCode))
        {
            throw new NotFoundException($"No activity {id}.");
        }
        return activity;
    }

    /// <summary>Saves, turning a lost race with another request on the same activity into 409.</summary>
    private static async Task SaveAsync(ActivitiesDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("The activity was changed by another request; reload and try again.");
        }
        catch (DbUpdateException ex) when (PracticeMesh.ServiceDefaults.Data.DbUpdateExceptionExtensions.IsUniqueViolation(ex))
        {
            throw new ConflictException("The volunteer has already signed up for this activity.");
        }
    }
}
