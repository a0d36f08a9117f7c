using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Messaging;

/// <summary>
/// Carries a corrected activity's hour deltas into the ledger, append-only: a correction entry against the
/// volunteer's credit for the activity, or a first credit for someone who was not there before. The ledger never
/// goes below nothing or above a day for one activity; what a delta cannot do is logged and left to an admin.
/// The correction and its completion (and earlier corrections) travel on different queues and arrive in any order:
/// a delta that needs a credit the ledger does not hold yet is not skipped but waits (<see cref="PrematureEventException"/>:
/// retried, redelivered, then the error queue), so the ledger ends where the activity's record ends.
/// </summary>
public sealed class AdjustHoursOnActivityCompletionCorrected(
    VolunteersDbContext db, TimeProvider time, HourLedgerWriter ledger, ILogger<AdjustHoursOnActivityCompletionCorrected> logger)
    : IdempotentConsumer<ActivityCompletionCorrected, VolunteersDbContext>(db, time)
{
    /// <summary>Recorded as the approver of corrections that come from the activity's own record.</summary>
    public static readonly Approver ActivityRecord = new("activities", "活动记录更正 (activity record correction)");

    protected override async Task HandleAsync(ActivityCompletionCorrected message, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var ids = message.Deltas.Select(d => d.VolunteerId).Distinct().ToList();
        var volunteers = await Db.Volunteers.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var credits = await Db.HourLedger
            .Where(e => e.ActivityId == message.ActivityId && e.Kind == LedgerEntryKind.ActivityCredit && ids.Contains(e.VolunteerId))
            .ToDictionaryAsync(e => e.VolunteerId, cancellationToken);

        foreach (var delta in message.Deltas.DistinctBy(d => d.VolunteerId))
        {
            if (!volunteers.TryGetValue(delta.VolunteerId, out var volunteer))
            {
                // Final, not early: volunteers are made here, so an id unknown here never becomes known.
                logger.LogWarning("Correction of activity {ActivityId} names unknown volunteer {VolunteerId}; ledger unchanged",
                    message.ActivityId, delta.VolunteerId);
                continue;
            }
            // Suspended only after this correction: the completion, whenever it arrives, credits them.
            var mayHoldCredit = CreditHoursOnActivityCompleted.InGoodStandingAt(volunteer, message.OccurredAt);
            try
            {
                if (credits.TryGetValue(volunteer.Id, out var credit))
                {
                    await CorrectAsync(message, delta, volunteer, credit, mayHoldCredit, now, cancellationToken);
                }
                else if (delta.PreviousHours > 0 && mayHoldCredit)
                {
                    // The activity credited them before (at completion or by an earlier correction) and the ledger
                    // would have taken it: that event has not arrived yet.
                    throw new PrematureEventException(
                        $"Correction of activity {message.ActivityId} adjusts {delta.PreviousHours} h of volunteer {volunteer.Id}, whose credit has not arrived yet.");
                }
                else if (delta.Delta > 0)
                {
                    // Not credited before (absent then): the corrected presence is the first credit.
                    HourLedgerEntry.EnsureCreditable(volunteer);
                    var entry = HourLedgerEntry.CreditActivity(volunteer.Id, message.ActivityId, message.DivisionCode, delta.CorrectedHours, message.EndsAt, now);
                    ledger.Append(volunteer, entry, await ledger.TotalHundredthsAsync(volunteer.Id, cancellationToken), now);
                }
                else
                {
                    // The ledger refused this volunteer's credit (not in good standing then): nothing to take back.
                    logger.LogWarning("Correction of activity {ActivityId} takes {Hours} h from volunteer {VolunteerId}, who was not credited for it; ledger unchanged",
                        message.ActivityId, -delta.Delta, volunteer.Id);
                }
            }
            catch (Exception ex) when (ex is DomainValidationException or ConflictException or ArgumentOutOfRangeException)
            {
                // A rule of the ledger (a suspended volunteer gains nothing, no day over 24 h) refuses it for good.
                logger.LogWarning("Correction of activity {ActivityId} for volunteer {VolunteerId} ({Delta} h) not applied: {Reason}",
                    message.ActivityId, volunteer.Id, delta.Delta, ex.Message);
            }
        }
    }

    private async Task CorrectAsync(ActivityCompletionCorrected message, ActivityHoursDelta delta, Volunteer volunteer, HourLedgerEntry credit,
        bool mayHoldCredit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var net = await ledger.NetHundredthsAsync(credit, cancellationToken);
        var deltaHundredths = ServiceTime.FromHours(delta.Delta).Hundredths;
        // What the activity's own record has put on this credit so far. Taking back more than that means an earlier
        // correction that added time has not arrived yet (an admin's hand corrections only ever leave less).
        var fromActivity = credit.Hundredths + await Db.HourLedger
            .Where(e => e.CorrectsEntryId == credit.Id && e.ApprovedBySubject == ActivityRecord.Subject)
            .SumAsync(e => e.Hundredths, cancellationToken);
        if (fromActivity + deltaHundredths < 0 && mayHoldCredit)
        {
            throw new PrematureEventException(
                $"Correction of activity {message.ActivityId} takes {-delta.Delta} h from volunteer {volunteer.Id}; the correction that gave them has not arrived yet.");
        }
        // An admin may already have taken time back by hand: never below nothing.
        var hundredths = Math.Max(deltaHundredths, -net);
        if (hundredths != 0)
        {
            await ledger.AppendCorrectionAsync(volunteer, credit, net, new ServiceTime(hundredths).Hours, message.Reason, ActivityRecord, null, now, cancellationToken);
        }
    }
}
