namespace PracticeMesh.Assessment.Schemes;

/// <summary>Which tier a scheme's indicator scores.</summary>
public enum AssessmentTier
{
    /// <summary>实践站: a village, community or unit station, ranked within its township.</summary>
    Station,
    /// <summary>实践所: a township's institute with the stations under it, ranked within the county.</summary>
    Institute,
}

/// <summary>How an indicator's value turns into points.</summary>
public enum ScoringMethod
{
    /// <summary>Points in proportion to value ÷ target, up to the weight (full points at the target).</summary>
    Linear,
    /// <summary>The points of the highest band whose <see cref="ScoreBand.AtLeast"/> (a share of the target) the value reaches.</summary>
    Threshold,
    /// <summary><see cref="IndicatorRule.PointsPerUnit"/> points for each unit of value, up to <see cref="IndicatorRule.Cap"/> (at most the weight).</summary>
    Capped,
}

/// <summary>A band of the threshold method: reaching <see cref="AtLeast"/> × target earns <see cref="Points"/>.</summary>
public sealed record ScoreBand(decimal AtLeast, decimal Points);

/// <summary>
/// One indicator of a scheme: which figure (<see cref="Code"/>, one of <see cref="IndicatorCatalog"/>), for which tiers,
/// its weight (the most points it can earn), its target (in the catalog's unit: a count per month or year, a ratio, hours
/// per head, an average score, or 1 for a yes/no), and how its value turns into points.
/// </summary>
public sealed record IndicatorRule(
    string Code,
    string? Name,
    IReadOnlyList<AssessmentTier> Tiers,
    decimal Weight,
    decimal Target,
    ScoringMethod Method,
    IReadOnlyList<ScoreBand>? Bands = null,
    decimal? PointsPerUnit = null,
    decimal? Cap = null);

/// <summary>Points taken off when an indicator's value is below <see cref="Below"/> (in its own unit), with the reason shown to the station.</summary>
public sealed record DeductionRule(string Code, string Indicator, decimal Below, decimal Points, string Reason, IReadOnlyList<AssessmentTier>? Tiers = null);

/// <summary>A star band (星级): a score of at least <see cref="MinScore"/> earns <see cref="Stars"/>, e.g. 五星级实践站.</summary>
public sealed record StarBand(int Stars, decimal MinScore, string Name);

/// <summary>Who may be put forward as an outstanding volunteer (优秀志愿者) in a year.</summary>
public sealed record VolunteerHonourCriteria(decimal MinHours, int MinActivities, decimal? MinAverageRating, bool ExcludeSuspended = true, bool ExcludeCorrected = true);

/// <summary>Which teams may be put forward as outstanding teams (优秀志愿服务队) in a year.</summary>
public sealed record TeamHonourCriteria(int MinActivities, decimal MinParticipation, decimal? MinAverageRating);

public sealed record HonourCriteria(VolunteerHonourCriteria Volunteers, TeamHonourCriteria Teams);

/// <summary>
/// A county's yearly scoring scheme (考核方案), as data: the indicators with their weights (adding up to 100 per tier),
/// targets and scoring, deductions, star bands and the criteria for outstanding volunteers and teams. Stored versioned;
/// every result names the version that produced it.
/// </summary>
public sealed record SchemeDocument(
    int Year,
    string Name,
    IReadOnlyList<IndicatorRule> Indicators,
    IReadOnlyList<DeductionRule>? Deductions,
    IReadOnlyList<StarBand> StarBands,
    HonourCriteria Honours);

/// <summary>Names the scheme that produced a result: the county's, its year and version (0 = the default shipped with the service).</summary>
public sealed record SchemeRef(string County, int Year, int Version);

/// <summary>The scheme in force for a year.</summary>
public sealed record ActiveScheme(SchemeRef Ref, SchemeDocument Document);

/// <summary>The schemes: a county's (6-digit code) latest version for a year, or the shipped default when it has none.</summary>
public interface ISchemes
{
    Task<ActiveScheme> ForYearAsync(string county, int year, CancellationToken cancellationToken);

    /// <summary>A stored version (0 = the default), or null.</summary>
    Task<ActiveScheme?> VersionAsync(string county, int year, int version, CancellationToken cancellationToken);
}
