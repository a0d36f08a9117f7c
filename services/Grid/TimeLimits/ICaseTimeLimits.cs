using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>
/// Time limits counted on the county's working calendar (public holidays off, 调休 weekend days on).
/// </summary>
public interface ICaseTimeLimits
{
    /// <summary>When a case's stage that started at <paramref name="from"/> must end: the category's limit for the stage.</summary>
    Task<DateTimeOffset> DueAtAsync(CaseCategory category, CaseStage stage, DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary><paramref name="amount"/> of working time after <paramref name="from"/> (an approved extension, say).</summary>
    Task<DateTimeOffset> AddAsync(DateTimeOffset from, WorkingTime amount, CancellationToken cancellationToken);
}
