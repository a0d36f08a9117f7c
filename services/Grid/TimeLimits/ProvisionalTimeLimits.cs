using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>Counts a category's limits in calendar time until the working calendar replaces it.</summary>
public sealed class ProvisionalTimeLimits : ICaseTimeLimits
{
    public Task<DateTimeOffset> DueAtAsync(CaseCategory category, CaseStage stage, DateTimeOffset from, CancellationToken cancellationToken) =>
        AddAsync(from, stage switch
        {
            CaseStage.Acceptance => category.AcceptWithin,
            CaseStage.Handling => category.HandleWithin,
            _ => category.VerifyWithin,
        }, cancellationToken);

    public Task<DateTimeOffset> AddAsync(DateTimeOffset from, WorkingTime amount, CancellationToken cancellationToken) =>
        Task.FromResult(from + (amount.Unit == LimitUnit.WorkingHours ? TimeSpan.FromHours(amount.Amount) : TimeSpan.FromDays(amount.Amount)));
}
