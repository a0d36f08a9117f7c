using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Shared;

/// <summary>Finding an activity as the caller may see it: every topic (attendance, ratings, plans) starts here.</summary>
public static class ActivityLookup
{
    // A compiled query serves one model; a process holding the service on two databases (tests on SQLite and
    // PostgreSQL side by side) compiles it once per model.
    private static readonly ConditionalWeakTable<IModel, Func<ActivitiesDbContext, Guid, Guid, Task<Activity?>>> WithOneSignUpByModel = new();

    private static Func<ActivitiesDbContext, Guid, Guid, Task<Activity?>> WithOneSignUp(ActivitiesDbContext context) =>
        WithOneSignUpByModel.GetValue(context.Model, _ => EF.CompileAsyncQuery(
            (ActivitiesDbContext db, Guid id, Guid volunteer) =>
                db.Activities.Include(a => a.SignUps.Where(s => s.VolunteerId == volunteer)).SingleOrDefault(a => a.Id == id)));

    /// <param name="signUpsOf">
    /// Load only these volunteers' sign-ups (attendance touches nothing else); the activity's counts and lists are
    /// then partial, so such an activity is never answered as a whole.
    /// </param>
    public static async Task<Activity> FindActivityAsync(
        this ActivitiesDbContext db, Guid id, Caller caller, CancellationToken cancellationToken, IReadOnlyList<Guid>? signUpsOf = null)
    {
        var activity = signUpsOf switch
        {
            null => await db.Activities.Include(a => a.SignUps).SingleOrDefaultAsync(a => a.Id == id, cancellationToken),
            // The check-in's query, compiled once: no expression tree to build, walk and hash on the hot path.
            [var one] => await WithOneSignUp(db)(db, id, one),
            _ => await db.Activities.Include(a => a.SignUps.Where(s => signUpsOf.Contains(s.VolunteerId))).SingleOrDefaultAsync(a => a.Id == id, cancellationToken),
        };
        // Outside the caller's division the activity does not exist for them.
        if (activity is null || !caller.Covers(activity.DivisionCode))
        {
            throw new NotFoundException($"No activity {id}.");
        }
        return activity;
    }

    /// <summary>The activity's station as heard from the stations service (its coordinates, whether it is closed).</summary>
    public static Task<KnownStation?> StationOfAsync(this ActivitiesDbContext db, Activity activity, CancellationToken cancellationToken) =>
        db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == activity.StationCode, cancellationToken);
}
