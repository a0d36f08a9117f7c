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
/// A correction that takes time back from a credit not made (yet) is skipped: corrections follow completions.
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
                logger.LogWarning("Correction of activity {ActivityId} names unknown volunteer {VolunteerId}; ledger unchanged",
                    message.ActivityId, delta.VolunteerId);
                continue;
            }
            try
            {
                if (credits.TryGetValue(volunteer.Id, out var credit))
                {
                    await CorrectAsync(message, delta, volunteer, credit, now, cancellationToken);
                }
                else if (delta.Delta > 0)
                {
                    // Not credited at completion (absent then): the corrected presence is the first credit.
                    HourLedgerEntry.EnsureCreditable(volunteer);
                    var entry = HourLedgerEntry.CreditActivity(volunteer.Id, message.ActivityId, message.DivisionCode, delta.CorrectedHours, message.EndsAt, now);
                    ledger.Append(volunteer, entry, await ledger.TotalHundredthsAsync(volunteer.Id, cancellationToken), now);
                }
                else
                {
                    logger.LogWarning("Correction of activity {ActivityId} takes {Hours} h from volunteer {VolunteerId}, who holds no credit for it; ledger unchanged",
                        message.ActivityId, -delta.Delta, volunteer.Id);
                }
            }
            catch (Exception ex) when (ex is DomainValidationException or ConflictException or ArgumentOutOfRangeException)
            {
                logger.LogWarning("Correction of activity {ActivityId} for volunteer {VolunteerId} ({Delta} h) not applied: {Reason}",
                    message.ActivityId, volunteer.Id, delta.Delta, ex.Message);
            }
        }
    }

    private async Task CorrectAsync(ActivityCompletionCorrected message, ActivityHoursDelta delta, Volunteer volunteer, HourLedgerEntry credit,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var net = await ledger.NetHundredthsAsync(credit, cancellationToken);
        // An admin may already have taken time back by hand: never below nothing.
        var hundredths = Math.Max(ServiceTime.FromHours(delta.Delta).Hundredths, -net);
        if (hundredths != 0)
        {
            await ledger.AppendCorrectionAsync(volunteer, credit, net, new ServiceTime(hundredths).Hours, message.Reason, ActivityRecord, null, now, cancellationToken);
        }
    }
}
