using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Statistics;

/// <summary>How statistics rows are grouped: per grid (网格), village or community (村/社区), or township (乡镇/街道).</summary>
public enum StatisticsGrouping { Grid, Village, Township }

/// <summary>How a series is cut for a chart.</summary>
public enum SeriesInterval { Day, Week, Month }

/// <summary>
/// The days a statistic covers, both included, in China time: at most <see cref="MaxDays"/> so a query stays a
/// year's worth of cases at most.
/// </summary>
public sealed record StatisticsPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    /// <summary>The first instant of <see cref="From"/>, in UTC (as the case times are stored and compared).</summary>
    public DateTimeOffset Start => ChinaTime.Day(From).Start.ToUniversalTime();

    /// <summary>The first instant after <see cref="To"/>, in UTC.</summary>
    public DateTimeOffset End => ChinaTime.Day(To).End.ToUniversalTime();

    /// <summary>
    /// Reads <c>from</c> and <c>to</c> (yyyy-MM-dd). Absent, <c>to</c> is today and <c>from</c> the first day of
    /// <c>to</c>'s month, so a dashboard asking for nothing sees this month so far. Every fault is a 400 naming its field.
    /// </summary>
    public static StatisticsPeriod Parse(string? from, string? to, AcceptedDates dates, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var last = ParseDay(to, "to", errors) ?? today;
        var first = ParseDay(from, "from", errors) ?? new DateOnly(last.Year, last.Month, 1);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        dates.Ensure(("from", first), ("to", last));
        if (first > last)
        {
            throw new DomainValidationException("from", $"from ({first:yyyy-MM-dd}) is after to ({last:yyyy-MM-dd}).");
        }
        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            throw new DomainValidationException("to", $"A period is at most {MaxDays} days.");
        }
        return new StatisticsPeriod(first, last);
    }

    /// <summary>groupBy: absent, the tier below the prefix asked for (a county's townships, a township's villages, a village's grids).</summary>
    public static StatisticsGrouping ParseGrouping(string? groupBy, string prefix) => groupBy?.Trim().ToLowerInvariant() switch
    {
        null or "" => prefix.Length switch
        {
            >= 12 => StatisticsGrouping.Grid,
            >= 9 => StatisticsGrouping.Village,
            _ => StatisticsGrouping.Township,
        },
        "grid" => StatisticsGrouping.Grid,
        "village" => StatisticsGrouping.Village,
        "township" => StatisticsGrouping.Township,
        _ => throw new DomainValidationException("groupBy", "groupBy is grid, village or township."),
    };

    public static SeriesInterval ParseInterval(string? interval) => interval?.Trim().ToLowerInvariant() switch
    {
        null or "" or "month" => SeriesInterval.Month,
        "week" => SeriesInterval.Week,
        "day" => SeriesInterval.Day,
        _ => throw new DomainValidationException("interval", "interval is month, week or day."),
    };

    private static DateOnly? ParseDay(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors[field] = ["A date is written yyyy-MM-dd (China time), e.g. 2026-03-01."];
        return null;
    }
}
