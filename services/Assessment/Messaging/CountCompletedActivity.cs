using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Domain;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Messaging;

/// <summary>Counts a completed activity and its volunteer hours into its station's month.</summary>
public sealed class CountCompletedActivity(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<ActivityCompleted, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var month = StationMonth.MonthOf(message.StartsAt);
        var record = await Db.StationMonths.FindAsync([message.StationCode, month], cancellationToken);
        if (record is null)
        {
            record = StationMonth.Start(message.StationCode, message.DivisionCode, month);
            Db.StationMonths.Add(record);
        }
        record.AddCompletedActivity(message.Participants.Count, message.Participants.Sum(p => p.CreditedHours));
    }
}
