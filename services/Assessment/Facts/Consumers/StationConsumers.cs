using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;
using V2 = PracticeMesh.Contracts.Events.V2;

namespace PracticeMesh.Assessment.Facts.Consumers;

/// <summary>
/// A site joined the registry: the station scored and the name shown beside its score. An update or closure heard
/// before it has already started the fact; the registration then states its kind, parent and time.
/// </summary>
/// <remarks>
/// Why an update or closure starts the fact rather than waiting (<see cref="PrematureEventException"/>): stations
/// registered before assessment listened to <c>StationRegistered</c> never reach its queue, so for them an update or a
/// closure is the first word assessment hears. Waiting would park those events in the error queue and leave the station
/// unscored; starting from what the event carries (code, place, the kind the code implies) loses nothing, and the
/// registration, when it does come, fills in the rest with the same end state in any order.
/// </remarks>
public sealed class RecordStationRegistered(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<StationRegistered, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(StationRegistered message, CancellationToken cancellationToken)
    {
        if (await Db.StationFacts.FindAsync([message.StationCode], cancellationToken) is { } fact)
        {
            fact.Registered(message.DivisionCode, message.Name, message.Kind, message.ParentStationCode, message.OccurredAt);
            return;
        }
        Db.StationFacts.Add(StationFact.From(message.StationCode, message.DivisionCode, message.Name, message.Kind, message.ParentStationCode, message.OccurredAt));
    }
}

/// <summary>A site was renamed: the latest statement by time wins, whatever order the updates arrive in.</summary>
public sealed class RecordStationUpdated(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<StationUpdated, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(StationUpdated message, CancellationToken cancellationToken)
    {
        var fact = await Db.StationAsync(message.StationCode, message.DivisionCode, cancellationToken);
        fact.Rename(message.Name, message.OccurredAt);
    }
}

/// <summary>A site was closed: scored for the periods it was open in any part of, not after.</summary>
public sealed class RecordStationClosed(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<StationClosed, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(StationClosed message, CancellationToken cancellationToken)
    {
        var fact = await Db.StationAsync(message.StationCode, message.DivisionCode, cancellationToken);
        fact.Close(message.OccurredAt);
    }
}

/// <summary>
/// One checklist verdict (六有, or the county's own list): the station's standing at an instant is the latest verdict
/// before it, so each verdict is kept by its event, and order does not matter. V2 only: it is published for every
/// checklist, V1 beside it for the six-item standard (for partners), so hearing both would count each check twice.
/// </summary>
public sealed class RecordSixHavesVerified(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<V2.SixHavesVerified, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(V2.SixHavesVerified message, CancellationToken cancellationToken)
    {
        Db.SixHavesFacts.Add(SixHavesFact.From(message.EventId, message.StationCode, message.OccurredAt, message.PassedItems, message.RequiredItems, message.Compliant));
        return Task.CompletedTask;
    }
}

/// <summary>A staffing statement: whether the site's minimum was met from that instant, kept by its event.</summary>
public sealed class RecordStaffingChanged(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<StaffingChanged, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(StaffingChanged message, CancellationToken cancellationToken)
    {
        Db.StaffingFacts.Add(StaffingFact.From(message.EventId, message.StationCode, message.OccurredAt, message.StaffCount, message.RequiredMin, message.Met));
        return Task.CompletedTask;
    }
}

internal static class StationFactLookups
{
    /// <summary>The station's fact, started from what an update or closure carries when the registration has not been heard.</summary>
    public static async Task<StationFact> StationAsync(this AssessmentDbContext db, string stationCode, DivisionCode division, CancellationToken cancellationToken)
    {
        if (await db.StationFacts.FindAsync([stationCode], cancellationToken) is { } fact)
        {
            return fact;
        }
        fact = StationFact.Heard(stationCode, division);
        db.StationFacts.Add(fact);
        return fact;
    }
}
