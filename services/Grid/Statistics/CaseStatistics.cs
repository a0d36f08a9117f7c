using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Statistics;

/// <summary>
/// One row of the statistics: a grid, village or township and what its cases did in the period.
/// <list type="bullet">
/// <item><c>reported</c>: reported in the period (上报).</item>
/// <item><c>closed</c>, <c>closedOnTime</c>: closed in the period (结案), and of those the ones no stage of which ran past its limit (按时结案).</item>
/// <item><c>overdue</c> (超期): closed in the period after going overdue, plus cases reported in the period that are open
/// and overdue now (past their due time, or past it once before an extension). Each case counts once, in the
/// period of its close or, while open, of its report, so a series' buckets add up to the whole period.</item>
/// <item><c>reworked</c> (返工), <c>extended</c> (延期), <c>escalated</c> (升级): cases reported in the period that were
/// sent back after a failed verification, given an extension, or escalated above their grid.</item>
/// <item><c>medianHandlingHours</c>: the median time from report to close of the cases closed in the period (null when none).</item>
/// </list>
/// </summary>
public sealed record StatisticsRow(string Code, string? Name, int Reported, int Closed, int ClosedOnTime, int Overdue, int Reworked,
    int Extended, int Escalated, double? MedianHandlingHours);

/// <summary>The statistics of a period: a row per grid, village or township under <c>under</c>, and the totals.</summary>
/// <param name="CountedAt">The moment "open and overdue now" was judged at.</param>
public sealed record CaseStatisticsReport(string Under, DateOnly From, DateOnly To, string GroupBy, DateTimeOffset CountedAt,
    IReadOnlyList<StatisticsRow> Rows, StatisticsRow Totals);

/// <summary>One line of a chart: a figure of <see cref="StatisticsRow"/> per label.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Data);

/// <summary>A chart's data (ECharts and most chart libraries take it as it is): labels on the x axis, a series per figure.</summary>
public sealed record CaseStatisticsSeries(string Under, DateOnly From, DateOnly To, string Interval, DateTimeOffset CountedAt,
    IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series);

/// <summary>
/// Counts cases per grid, village or township and per period. The table is aggregated by the database (one GROUP BY
/// over the cases reported or closed in the period, under a division prefix); the medians and the chart series are
/// worked out here from a narrow projection of the cases closed (for the medians) or in play (for the series).
/// </summary>
public sealed class CaseStatistics(GridDbContext db)
{
    /// <summary>The figures in the order the series and the XLSX columns list them.</summary>
    public static readonly IReadOnlyList<string> Figures =
        ["reported", "closed", "closedOnTime", "overdue", "reworked", "extended", "escalated", "medianHandlingHours"];

    public async Task<CaseStatisticsReport> TableAsync(string prefix, StatisticsPeriod period, StatisticsGrouping grouping, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (start, end) = (period.Start, period.End);
        now = now.ToUniversalTime();
        var counts = await InPlay(prefix, start, end)
            .GroupBy(KeyOf(grouping))
            .Select(g => new
            {
                Code = g.Key,
                Reported = g.Count(c => c.ReportedAt >= start && c.ReportedAt < end),
                Closed = g.Count(c => c.Status == CaseStatus.Closed && c.ClosedAt >= start && c.ClosedAt < end),
                ClosedOnTime = g.Count(c => c.Status == CaseStatus.Closed && c.ClosedAt >= start && c.ClosedAt < end && !c.WentOverdue),
                Overdue = g.Count(c => (c.Status == CaseStatus.Closed && c.ClosedAt >= start && c.ClosedAt < end && c.WentOverdue)
                    || (c.ReportedAt >= start && c.ReportedAt < end
                        && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged
                        && (c.WentOverdue || c.DueAt < now))),
                Reworked = g.Count(c => c.ReportedAt >= start && c.ReportedAt < end && c.Reworks > 0),
                Extended = g.Count(c => c.ReportedAt >= start && c.ReportedAt < end && c.Extensions > 0),
                Escalated = g.Count(c => c.ReportedAt >= start && c.ReportedAt < end && c.EscalationLevel > 0),
            })
            .ToListAsync(cancellationToken);

        // The group's key comes from the database too, so no division code is parsed per case.
        var closed = await ClosedIn(prefix, start, end).Select(HandlingTimeOf(grouping)).ToListAsync(cancellationToken);
        var hours = closed.ToLookup(c => c.Code, c => (c.ClosedAt!.Value - c.ReportedAt).TotalHours, StringComparer.Ordinal);

        var names = await NamesAsync(prefix, grouping, cancellationToken);
        var rows = new Dictionary<string, StatisticsRow>(StringComparer.Ordinal);
        foreach (var (code, name) in names.Where(n => n.Value.Active))
        {
            rows[code] = new StatisticsRow(code, name.Name, 0, 0, 0, 0, 0, 0, 0, null);
        }
        foreach (var c in counts)
        {
            rows[c.Code] = new StatisticsRow(c.Code, NameOf(c.Code, grouping, names), c.Reported, c.Closed, c.ClosedOnTime, c.Overdue,
                c.Reworked, c.Extended, c.Escalated, Median(hours[c.Code]));
        }
        var ordered = rows.Values.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        var totals = new StatisticsRow(prefix, null, ordered.Sum(r => r.Reported), ordered.Sum(r => r.Closed), ordered.Sum(r => r.ClosedOnTime),
            ordered.Sum(r => r.Overdue), ordered.Sum(r => r.Reworked), ordered.Sum(r => r.Extended), ordered.Sum(r => r.Escalated),
            Median(closed.Select(c => (c.ClosedAt!.Value - c.ReportedAt).TotalHours)));
        return new CaseStatisticsReport(prefix, period.From, period.To, Name(grouping), now, ordered, totals);
    }

    public async Task<CaseStatisticsSeries> SeriesAsync(string prefix, StatisticsPeriod period, SeriesInterval interval, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (start, end) = (period.Start, period.End);
        now = now.ToUniversalTime();
        var facts = await InPlay(prefix, start, end)
            .Select(c => new CaseFacts(c.ReportedAt, c.ClosedAt, c.Status, c.DueAt, c.WentOverdue, c.Reworks, c.Extensions, c.EscalationLevel))
            .ToListAsync(cancellationToken);

        var buckets = Buckets(period, interval);
        var figures = Figures.ToDictionary(f => f, _ => new double?[buckets.Count], StringComparer.Ordinal);
        var hours = buckets.Select(_ => new List<double>()).ToArray();
        foreach (var f in figures.Values)
        {
            Array.Fill(f, 0);
        }
        foreach (var c in facts)
        {
            if (Within(c.ReportedAt, start, end))
            {
                var b = BucketOf(c.ReportedAt, period, interval);
                figures["reported"][b]++;
                if (c.Reworks > 0)
                {
                    figures["reworked"][b]++;
                }
                if (c.Extensions > 0)
                {
                    figures["extended"][b]++;
                }
                if (c.EscalationLevel > 0)
                {
                    figures["escalated"][b]++;
                }
                if (c.Status is not (CaseStatus.Closed or CaseStatus.Rejected or CaseStatus.Merged) && (c.WentOverdue || c.DueAt < now))
                {
                    figures["overdue"][b]++;
                }
            }
            if (c.Status == CaseStatus.Closed && c.ClosedAt is { } closedAt && Within(closedAt, start, end))
            {
                var b = BucketOf(closedAt, period, interval);
                figures["closed"][b]++;
                figures[c.WentOverdue ? "overdue" : "closedOnTime"][b]++;
                hours[b].Add((closedAt - c.ReportedAt).TotalHours);
            }
        }
        for (var b = 0; b < buckets.Count; b++)
        {
            figures["medianHandlingHours"][b] = Median(hours[b]);
        }
        return new CaseStatisticsSeries(prefix, period.From, period.To, interval.ToString().ToLowerInvariant(), now,
            [.. buckets.Select(b => b.Label)], [.. Figures.Select(f => new ChartSeries(f, figures[f]))]);
    }

    public static string Name(StatisticsGrouping grouping) => grouping.ToString().ToLowerInvariant();

    /// <summary>Cases under the prefix reported or closed in the period: every case a figure can count.</summary>
    private IQueryable<GridCase> InPlay(string prefix, DateTimeOffset start, DateTimeOffset end) =>
        db.Cases.AsNoTracking().Under(prefix)
            .Where(c => (c.ReportedAt >= start && c.ReportedAt < end) || (c.ClosedAt >= start && c.ClosedAt < end));

    private IQueryable<GridCase> ClosedIn(string prefix, DateTimeOffset start, DateTimeOffset end) =>
        db.Cases.AsNoTracking().Under(prefix).Where(c => c.Status == CaseStatus.Closed && c.ClosedAt >= start && c.ClosedAt < end);

    /// <summary>
    /// The group a case counts in, as SQL: its grid (or, outside every grid, its village, which takes such cases),
    /// its village, or its village's township.
    /// </summary>
    private static Expression<Func<GridCase, string>> KeyOf(StatisticsGrouping grouping) => grouping switch
    {
        StatisticsGrouping.Grid => c => c.GridCode ?? (string)c.DivisionCode,
        StatisticsGrouping.Village => c => (string)c.DivisionCode,
        _ => c => ((string)c.DivisionCode).Substring(0, 9),
    };

    /// <summary>A closed case's group (by <see cref="KeyOf"/>) and its report and close times, as one SQL projection.</summary>
    private static Expression<Func<GridCase, HandlingTime>> HandlingTimeOf(StatisticsGrouping grouping)
    {
        var key = KeyOf(grouping);
        var c = key.Parameters[0];
        return Expression.Lambda<Func<GridCase, HandlingTime>>(Expression.MemberInit(Expression.New(typeof(HandlingTime)),
            Expression.Bind(typeof(HandlingTime).GetProperty(nameof(HandlingTime.Code))!, key.Body),
            Expression.Bind(typeof(HandlingTime).GetProperty(nameof(HandlingTime.ReportedAt))!, Expression.Property(c, nameof(GridCase.ReportedAt))),
            Expression.Bind(typeof(HandlingTime).GetProperty(nameof(HandlingTime.ClosedAt))!, Expression.Property(c, nameof(GridCase.ClosedAt)))), c);
    }

    private sealed class HandlingTime
    {
        public string Code { get; init; } = "";
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
    }

    /// <summary>
    /// The grids or villages under the prefix with their names; active ones get a row even with no case, since a grid
    /// where nothing was found is worth seeing too. Townships have no name here (the stations registry keeps those).
    /// </summary>
    private async Task<Dictionary<string, (string? Name, bool Active)>> NamesAsync(string prefix, StatisticsGrouping grouping, CancellationToken cancellationToken)
    {
        var villages = await db.Villages.AsNoTracking().Where(v => ((string)v.Code).StartsWith(prefix))
            .Select(v => new { v.Code, v.Name, v.Closed }).ToListAsync(cancellationToken);
        switch (grouping)
        {
            case StatisticsGrouping.Grid:
                var grids = await db.Grids.AsNoTracking().Where(g => g.Code.StartsWith(prefix))
                    .Select(g => new { g.Code, g.Name, g.RetiredAt }).ToListAsync(cancellationToken);
                var named = grids.ToDictionary(g => g.Code, g => ((string?)g.Name, g.RetiredAt == null), StringComparer.Ordinal);
                foreach (var v in villages)
                {
                    // A village row in a grid table holds the cases found outside every grid, which the village takes.
                    named[v.Code.Value] = ($"{v.Name}（网格外）", false);
                }
                return named;
            case StatisticsGrouping.Village:
                return villages.ToDictionary(v => v.Code.Value, v => ((string?)v.Name, !v.Closed), StringComparer.Ordinal);
            default:
                return villages.Where(v => !v.Closed).Select(v => v.Code.Value[..9]).Distinct()
                    .ToDictionary(t => t, _ => ((string?)null, true), StringComparer.Ordinal);
        }
    }

    private static string? NameOf(string code, StatisticsGrouping grouping, Dictionary<string, (string? Name, bool Active)> names) =>
        names.TryGetValue(code, out var name) ? name.Name
        : grouping == StatisticsGrouping.Grid && !code.Contains('-') ? "网格外" : null;

    /// <summary>The median, to a tenth of an hour; null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return Math.Round(median, 1, MidpointRounding.AwayFromZero);
    }

    private static bool Within(DateTimeOffset at, DateTimeOffset start, DateTimeOffset end) => at >= start && at < end;

    private sealed record CaseFacts(DateTimeOffset ReportedAt, DateTimeOffset? ClosedAt, CaseStatus Status, DateTimeOffset? DueAt, bool WentOverdue,
        int Reworks, int Extensions, int EscalationLevel);

    private sealed record Bucket(string Label);

    /// <summary>The period's days, weeks (from Monday) or months, the first and last cut to the period; labelled yyyy-MM-dd or yyyy-MM.</summary>
    private static List<Bucket> Buckets(StatisticsPeriod period, SeriesInterval interval)
    {
        var buckets = new List<Bucket>();
        for (var day = period.From; day <= period.To;)
        {
            var (next, label) = interval switch
            {
                SeriesInterval.Day => (day.AddDays(1), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                SeriesInterval.Week => (Monday(day).AddDays(7), Monday(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                _ => (new DateOnly(day.Year, day.Month, 1).AddMonths(1), day.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            };
            buckets.Add(new Bucket(label));
            day = next;
        }
        return buckets;
    }

    private static int BucketOf(DateTimeOffset at, StatisticsPeriod period, SeriesInterval interval)
    {
        var day = ChinaTime.Today(at);
        return interval switch
        {
            SeriesInterval.Day => day.DayNumber - period.From.DayNumber,
            SeriesInterval.Week => (Monday(day).DayNumber - Monday(period.From).DayNumber) / 7,
            _ => (day.Year * 12 + day.Month) - (period.From.Year * 12 + period.From.Month),
        };
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
