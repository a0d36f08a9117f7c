using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Facts.Consumers;

/// <summary>
/// Keeps a completed activity and each participant's credit as facts, and moves the cells by what they add: the
/// station's completed activities, participants and hours, the team's activities, each volunteer's activities. Needs
/// no other event first: the announcement and the corrections merge into the same facts in any order.
/// </summary>
public sealed class RecordActivityCompleted(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<ActivityCompleted, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var activity = await Db.ActivityAsync(message.ActivityId, message.StationCode, message.DivisionCode, message.TeamId, message.Category, message.StartsAt, cancellationToken);
        await cells.ChangeAsync(activity, a => a.Complete(message.OccurredAt, message.AttendeeCount), cancellationToken);
        foreach (var participant in message.Participants)
        {
            var fact = await Db.ParticipationAsync(message.ActivityId, participant.VolunteerId, message.StationCode, message.TeamId, message.StartsAt, cancellationToken);
            await cells.ChangeAsync(fact, p => p.Credit(ServiceTime.FromHours(participant.CreditedHours)), cancellationToken);
        }
    }
}

/// <summary>
/// A completed activity's presences were corrected: each volunteer's delta is added to their participation fact (one
/// who gains time from none joins the participants, one corrected to none leaves them) and the attendance restated.
/// Sums and a latest-wins attendance: the same result in any order, so an early correction is applied, not retried.
/// </summary>
public sealed class RecordActivityCompletionCorrected(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<ActivityCompletionCorrected, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompletionCorrected message, CancellationToken cancellationToken)
    {
        var activity = await Db.ActivityAsync(message.ActivityId, message.StationCode, message.DivisionCode, message.TeamId, message.Category, message.StartsAt, cancellationToken);
        await cells.ChangeAsync(activity, a => a.StateAttendees(message.OccurredAt, message.AttendeeCount), cancellationToken);
        foreach (var delta in message.Deltas)
        {
            var fact = await Db.ParticipationAsync(message.ActivityId, delta.VolunteerId, message.StationCode, message.TeamId, message.StartsAt, cancellationToken);
            await cells.ChangeAsync(fact, p => p.Correct(ServiceTime.FromHours(delta.Delta)), cancellationToken);
        }
    }
}

internal static class ActivityFactLookups
{
    /// <summary>The activity's fact, started (and tracked as new) when no event of it has arrived before.</summary>
    public static async Task<ActivityFact> ActivityAsync(this AssessmentDbContext db, Guid activityId, string stationCode, DivisionCode division, Guid? teamId,
        ActivityCategory category, DateTimeOffset startsAt, CancellationToken cancellationToken)
    {
        if (await db.ActivityFacts.FindAsync([activityId], cancellationToken) is { } fact)
        {
            return fact;
        }
        fact = ActivityFact.Start(activityId, stationCode, division, teamId, category, startsAt);
        db.ActivityFacts.Add(fact);
        return fact;
    }

    public static async Task<ParticipationFact> ParticipationAsync(this AssessmentDbContext db, Guid activityId, Guid volunteerId, string stationCode, Guid? teamId,
        DateTimeOffset startsAt, CancellationToken cancellationToken)
    {
        if (await db.ParticipationFacts.FindAsync([activityId, volunteerId], cancellationToken) is { } fact)
        {
            return fact;
        }
        fact = ParticipationFact.Start(activityId, volunteerId, stationCode, teamId, startsAt);
        db.ParticipationFacts.Add(fact);
        return fact;
    }
}
