using System.Globalization;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>China days <see cref="From"/> (the first day belonged) up to <see cref="Until"/> (the first day no longer), exclusive.</summary>
public readonly record struct DaySpan(DateOnly From, DateOnly Until)
{
    public int Days => Until.DayNumber - From.DayNumber;
}

/// <summary>
/// How long someone belonged to a per-head group (a team's member, an approved cadre or candidate) in a period, and the
/// share of a head that makes (seed: members counted for the part of the year they belonged). Days are China days: a day
/// counts when the person belonged at its end (China midnight), so the day of joining counts, the day of leaving does
/// not, and leaving and rejoining on one day loses nothing. Every month of the period weighs the same, as the yearly
/// targets are prorated by months: a month's share is the days belonged ÷ its days, the period's share the months'
/// shares ÷ its months. Someone who belonged from 1 October is 3 ÷ 12 = 0.25 of a head in the year.
/// </summary>
public static class Tenure
{
    /// <summary>
    /// The days belonged within [<paramref name="from"/>, <paramref name="until"/>), read from the instants the standing
    /// may have changed and what it was at an instant (<paramref name="belongsAt"/>: the state after every change
    /// before it). Only the standing at each day's end is read, so the order the changes were heard in cannot matter.
    /// </summary>
    public static IReadOnlyList<DaySpan> Spans(IEnumerable<DateTimeOffset> changes, Func<DateTimeOffset, bool> belongsAt, DateOnly from, DateOnly until)
    {
        var spans = new List<DaySpan>();
        DateOnly? open = null;
        foreach (var day in changes.Select(ChinaTime.Today).Distinct().Order())
        {
            var inAtEnd = belongsAt(ChinaTime.Day(day).End);
            if (inAtEnd && open is null)
            {
                open = day;
            }
            else if (!inAtEnd && open is { } start)
            {
                spans.Add(new(start, day));
                open = null;
            }
        }
        if (open is { } stillIn)
        {
            spans.Add(new(stillIn, until));
        }
        return Merge(spans.Select(s => new DaySpan(Later(s.From, from), Earlier(s.Until, until))));
    }

    /// <summary>The spans in day order, overlapping or touching ones joined, empty ones dropped: one person in two teams is one head.</summary>
    public static IReadOnlyList<DaySpan> Merge(IEnumerable<DaySpan> spans)
    {
        var merged = new List<DaySpan>();
        foreach (var span in spans.Where(s => s.Days > 0).OrderBy(s => s.From))
        {
            if (merged.Count > 0 && span.From <= merged[^1].Until)
            {
                merged[^1] = merged[^1] with { Until = Later(merged[^1].Until, span.Until) };
            }
            else
            {
                merged.Add(span);
            }
        }
        return merged;
    }

    /// <summary>The share of a head the (merged) spans make in <paramref name="period"/>, unrounded.</summary>
    public static decimal Share(IReadOnlyList<DaySpan> spans, Period period)
    {
        decimal months = 0;
        foreach (var (days, length) in MonthDays(spans, period))
        {
            months += (decimal)days / length;
        }
        return months / period.MonthCount;
    }

    /// <summary>
    /// How a share was counted, for the explanation: "2026-10-01 至 2026-12-31：3 ÷ 12 月", or for a month left on the
    /// 20th "2026-03-01 至 2026-03-19：19/31".
    /// </summary>
    public static string Explain(IReadOnlyList<DaySpan> spans, Period period)
    {
        var ranges = string.Join("、", spans.Select(s => s.Days == 1 ? Show(s.From) : $"{Show(s.From)} 至 {Show(s.Until.AddDays(-1))}"));
        var perMonth = MonthDays(spans, period).Where(m => m.Days > 0).ToList();
        var whole = perMonth.Count(m => m.Days == m.Length);
        var terms = perMonth.Where(m => m.Days < m.Length).Select(m => $"{m.Days}/{m.Length}").ToList();
        if (whole > 0)
        {
            terms.Insert(0, whole.ToString(CultureInfo.InvariantCulture));
        }
        var sum = terms.Count > 1 && period.MonthCount > 1 ? $"({string.Join(" + ", terms)})" : string.Join(" + ", terms);
        return period.MonthCount == 1 ? $"{ranges}：{sum}" : $"{ranges}：{sum} ÷ {period.MonthCount} 月";
    }

    /// <summary>Days belonged and days in each month of the period, in order.</summary>
    private static IEnumerable<(int Days, int Length)> MonthDays(IReadOnlyList<DaySpan> spans, Period period)
    {
        var start = ChinaTime.Today(period.Start);
        for (var i = 0; i < period.MonthCount; i++)
        {
            var (monthStart, monthEnd) = (start.AddMonths(i), start.AddMonths(i + 1));
            var days = spans.Sum(s => Math.Max(0, Earlier(s.Until, monthEnd).DayNumber - Later(s.From, monthStart).DayNumber));
            yield return (days, monthEnd.DayNumber - monthStart.DayNumber);
        }
    }

    private static string Show(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Earlier(DateOnly a, DateOnly b) => a < b ? a : b;
}
