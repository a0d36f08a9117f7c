using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>Counts a category's limits in calendar time until the working calendar replaces it.</summary>
public sealed class ProvisionalTimeLimits : ICaseTimeLimits
{
    public Task<DateTimeOffset> DueAtAsync(CaseCategory category, CaseStage stage, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var limit = stage switch
        {
            CaseStage.Acceptance => category.AcceptWithin,
            CaseStage.Handling => category.HandleWithin,
            _ => category.VerifyWithin,
        };
        return Task.FromResult(from + (limit.Unit == LimitUnit.WorkingHours ? TimeSpan.FromHours(limit.Amount) : TimeSpan.FromDays(limit.Amount)));
    }
}
