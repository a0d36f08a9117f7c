using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>
/// When a case's stage must end: the category's limit for the stage, counted on the county's working calendar
/// (public holidays off, 调休 weekend days on) from when the stage started.
/// </summary>
public interface ICaseTimeLimits
{
    Task<DateTimeOffset> DueAtAsync(CaseCategory category, CaseStage stage, DateTimeOffset from, CancellationToken cancellationToken);
}
