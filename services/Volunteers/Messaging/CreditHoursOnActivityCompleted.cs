using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Messaging;

/// <summary>Credits each participant's hours to their ledger when an activity is completed, once per activity and volunteer.</summary>
public sealed class CreditHoursOnActivityCompleted(VolunteersDbContext db, TimeProvider time, ILogger<CreditHoursOnActivityCompleted> logger)
    : IdempotentConsumer<ActivityCompleted, VolunteersDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var ids = message.Participants.Select(p => p.VolunteerId).Distinct().ToList();
        var volunteers = await Db.Volunteers.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var alreadyCredited = await Db.HourLedger
            .Where(e => e.ActivityId == message.ActivityId && ids.Contains(e.VolunteerId))
            .Select(e => e.VolunteerId)
            .ToListAsync(cancellationToken);
        var totals = await Db.HourLedger
            .Where(e => ids.Contains(e.VolunteerId))
            .GroupBy(e => e.VolunteerId)
            .Select(g => new { VolunteerId = g.Key, Minutes = g.Sum(e => e.Minutes) })
            .ToDictionaryAsync(t => t.VolunteerId, t => t.Minutes, cancellationToken);

        foreach (var participant in message.Participants.DistinctBy(p => p.VolunteerId))
        {
            if (alreadyCredited.Contains(participant.VolunteerId))
            {
                continue;
            }
            if (!volunteers.TryGetValue(participant.VolunteerId, out var volunteer) || volunteer.Status != VolunteerStatus.Approved)
            {
                // Not ours to credit (unknown, or not in good standing): the activity's record keeps the attendance.
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
            Db.HourLedger.Add(entry);
            var total = totals.GetValueOrDefault(volunteer.Id) + entry.Minutes;
            totals[volunteer.Id] = total;
            Db.AddEvent(new HoursCredited(Guid.CreateVersion7(now), now, volunteer.DivisionCode, volunteer.Id, entry.Id,
                message.ActivityId, entry.Hours, Math.Round(total / 60m, 2)), now);
        }
    }
}
