using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Messaging;

/// <summary>
/// Moves a corrected activity's hour deltas into its station's month: a volunteer who gains hours from none joins
/// the participants, one corrected down to none leaves them. Nothing here waits for the completion: the month holds
/// sums, and adding the completion's counts and each correction's deltas gives the same totals in any order (the
/// event names its station and month itself), so an early correction is applied, not retried.
/// </summary>
public sealed class CountActivityCompletionCorrection(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<ActivityCompletionCorrected, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompletionCorrected message, CancellationToken cancellationToken)
    {
        var record = await Db.StationMonthAsync(message.StationCode, message.DivisionCode, message.StartsAt, cancellationToken);
        var joined = message.Deltas.Count(d => d.PreviousHours == 0 && d.CorrectedHours > 0);
        var left = message.Deltas.Count(d => d.PreviousHours > 0 && d.CorrectedHours == 0);
        // Each delta in the one unit, as the ledger takes it, so the month moves by exactly what the credits move by.
        record.AdjustCompletedActivity(joined - left, ServiceTime.Sum(message.Deltas.Select(d => ServiceTime.FromHours(d.Delta))));
    }
}
