using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Messaging;

/// <summary>Counts a completed activity and its volunteer hours into its station's month.</summary>
public sealed class CountCompletedActivity(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<ActivityCompleted, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(ActivityCompleted message, CancellationToken cancellationToken)
    {
        var record = await Db.StationMonthAsync(message.StationCode, message.DivisionCode, message.StartsAt, cancellationToken);
        record.AddCompletedActivity([.. message.Participants.Select(p => ServiceTime.FromHours(p.CreditedHours))]);
    }
}
