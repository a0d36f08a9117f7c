using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Messaging;

/// <summary>
/// Credits each participant's hours to their ledger when an activity is completed, once per activity and volunteer.
/// Skips are final, not "not yet": this service is where volunteers are made and reviewed, so an id unknown here, or
/// a pending or rejected volunteer, will never be creditable for this activity (the activity keeps the attendance). A
/// volunteer suspended when the activity was completed is not credited; one suspended only afterwards is, because
/// the activity credits exactly the volunteers not suspended at completion (Activity.Complete), and assessment counts
/// what the activity lists: both sides follow that one rule.
/// </summary>
public sealed class CreditHoursOnActivityCompleted(VolunteersDbContext db, TimeProvider time, HourLedgerWriter ledger, ILogger<CreditHoursOnActivityCompleted> logger)
    : IdempotentConsumer<ActivityCompleted, VolunteersDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var ids = message.Participants.Select(p => p.VolunteerId).Distinct().ToList();
        var volunteers = await Db.Volunteers.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        // Each participant's total so far and whether this activity is in it already, in one query.
        var ledgers = await Db.HourLedger
            .Where(e => ids.Contains(e.VolunteerId))
            .GroupBy(e => e.VolunteerId)
            .Select(g => new { VolunteerId = g.Key, Hundredths = g.Sum(e => e.Hundredths), ThisActivity = g.Count(e => e.ActivityId == message.ActivityId) })
            .ToListAsync(cancellationToken);
        var alreadyCredited = ledgers.Where(l => l.ThisActivity > 0).Select(l => l.VolunteerId).ToHashSet();
        var totals = ledgers.ToDictionary(l => l.VolunteerId, l => l.Hundredths);

        foreach (var participant in message.Participants.DistinctBy(p => p.VolunteerId))
        {
            if (alreadyCredited.Contains(participant.VolunteerId))
            {
                continue;
            }
            if (!volunteers.TryGetValue(participant.VolunteerId, out var volunteer) || !InGoodStandingAt(volunteer, message.OccurredAt))
            {
                logger.LogWarning("Activity {ActivityId} lists volunteer {VolunteerId}, who is unknown or not approved; no hours credited",
                    message.ActivityId, participant.VolunteerId);
                continue;
            }
            if (participant.CreditedHours is < 0 or > 24)
            {
                logger.LogWarning("Activity {ActivityId} credits {Hours} h to {VolunteerId}; outside 0-24 h, not credited",
                    message.ActivityId, participant.CreditedHours, participant.VolunteerId);
                continue;
            }
            var entry = HourLedgerEntry.CreditActivity(volunteer.Id, message.ActivityId, message.DivisionCode, participant.CreditedHours, message.EndsAt, now);
            totals[volunteer.Id] = ledger.Append(volunteer, entry, totals.GetValueOrDefault(volunteer.Id), now);
        }
    }

    /// <summary>Approved, or suspended only after <paramref name="at"/>: they served in good standing.</summary>
    internal static bool InGoodStandingAt(Volunteer volunteer, DateTimeOffset at) =>
        volunteer.Status == VolunteerStatus.Approved || volunteer is { Status: VolunteerStatus.Suspended, SuspendedAt: { } suspended } && suspended > at;
}
