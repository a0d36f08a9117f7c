using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Orders;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Activities.Data;

/// <summary>Saving under optimistic concurrency: a lost race is a 409 to the client, or a retry on fresh state.</summary>
public static class Saving
{
    /// <summary>
    /// Runs <paramref name="attempt"/> again after a lost optimistic race, on fresh state. Only the activity and order
    /// graphs are forgotten: the audit record queued by the group's filter stays and commits with the winning attempt.
    /// </summary>
    public static async Task<T> RetryOnConflictAsync<T>(this ActivitiesDbContext db, Func<Task<T>> attempt, int attempts = 8)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (i < attempts)
            {
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Activity or SignUp or ServiceOrder).ToList())
                {
                    entry.State = EntityState.Detached;
                }
                await Task.Delay(Random.Shared.Next(1, 10 * i));
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConflictException("The activity is busy; try again.");
            }
        }
    }

    /// <summary>
    /// Saves, turning a lost race with another request on the same record into 409, or, inside
    /// <see cref="RetryOnConflictAsync"/> (<paramref name="retrying"/>), letting it through to be retried.
    /// </summary>
    public static async Task SaveOrConflictAsync(this ActivitiesDbContext db, CancellationToken cancellationToken, bool retrying = false)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (!retrying)
        {
            throw new ConflictException("The record was changed by another request; reload and try again.");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("That was already recorded (a sign-up, interest or rating exists).");
        }
    }
}
