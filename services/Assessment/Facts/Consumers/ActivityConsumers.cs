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
        // Every participant's fact in one query; the lookups below then find them tracked.
        await Db.ParticipationFacts.Where(p => p.ActivityId == message.ActivityId).LoadAsync(cancellationToken);
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
        await Db.ParticipationFacts.Where(p => p.ActivityId == message.ActivityId).LoadAsync(cancellationToken);
        foreach (var delta in message.Deltas)
        {
            var fact = await Db.ParticipationAsync(message.ActivityId, delta.VolunteerId, message.StationCode, message.TeamId, message.StartsAt, cancellationToken);
            await cells.ChangeAsync(fact, p => p.Correct(ServiceTime.FromHours(delta.Delta)), cancellationToken);
        }
    }
}

/// <summary>
/// An announcement: whether it came far enough ahead decides, with the completion's attendance, whether the activity
/// counts toward the two concentrated activities a month. Merged into the activity's fact in any order.
/// </summary>
public sealed class RecordActivityPublished(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<ActivityPublished, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityPublished message, CancellationToken cancellationToken)
    {
        var activity = await Db.ActivityAsync(message.ActivityId, message.StationCode, message.DivisionCode, message.TeamId, message.Category, message.StartsAt, cancellationToken);
        await cells.ChangeAsync(activity, a => a.Announced(message.OccurredAt, message.LateAnnouncement), cancellationToken);
    }
}

/// <summary>A resident's rating of an activity (评单), counted for the station in the month it was given.</summary>
public sealed class RecordActivityRated(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<ActivityRated, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(ActivityRated message, CancellationToken cancellationToken) =>
        Db.AddRatingAsync(cells, RatingFact.From(message.EventId, RatingSource.Activity, message.ActivityId, message.StationCode, message.TeamId, message.Score, message.OccurredAt),
            cancellationToken);
}

/// <summary>A resident's rating of the service they ordered (评单), counted with the activities' ratings.</summary>
public sealed class RecordOrderRated(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<OrderRated, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(OrderRated message, CancellationToken cancellationToken) =>
        Db.AddRatingAsync(cells, RatingFact.From(message.EventId, RatingSource.Order, message.OrderId, message.StationCode, message.TeamId, message.Score, message.OccurredAt),
            cancellationToken);
}

/// <summary>A completed order (点单), done by its due time or not, counted for the station in the month it was done.</summary>
public sealed class RecordOrderCompleted(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<OrderCompleted, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(OrderCompleted message, CancellationToken cancellationToken)
    {
        // An order is completed once; one fact per order whatever event carried it.
        if (await Db.OrderFacts.FindAsync([message.OrderId], cancellationToken) is not null)
        {
            return;
        }
        var fact = OrderFact.From(message.OrderId, message.StationCode, message.TeamId, message.VolunteerId, message.OccurredAt, message.Overdue);
        Db.OrderFacts.Add(fact);
        await cells.AddAsync(fact, cancellationToken);
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

    /// <summary>A rating is its own immutable fact, kept by its event (a resident rates an activity or an order once; the inbox drops a repeat).</summary>
    public static async Task AddRatingAsync(this AssessmentDbContext db, CellLedger cells, RatingFact fact, CancellationToken cancellationToken)
    {
        db.RatingFacts.Add(fact);
        await cells.AddAsync(fact, cancellationToken);
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
