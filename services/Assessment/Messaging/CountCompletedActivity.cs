using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Messaging;

/// <summary>
/// Counts a completed activity and its volunteer hours into its station's month: exactly the participants the
/// activity lists, so a volunteer the activity did not credit (suspended at completion) counts neither here nor in
/// the hour ledger. Sums only, so it needs no other event first.
/// </summary>
public sealed class CountCompletedActivity(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<ActivityCompleted, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var record = await Db.StationMonthAsync(message.StationCode, message.DivisionCode, message.StartsAt, cancellationToken);
        record.AddCompletedActivity([.. message.Participants.Select(p => ServiceTime.FromHours(p.CreditedHours))]);
    }
}
