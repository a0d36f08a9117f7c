namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// Days, months and years as the county lives them (UTC+8, no daylight saving). Each conversion stays inside the
/// range of <see cref="DateTimeOffset"/> for any date <see cref="AcceptedDates"/> lets in; a day at either end of
/// the calendar (0001-01-01, 9999-12-31) would not, which is why user input is checked against that window first.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);

    public static (DateTimeOffset Start, DateTimeOffset End) Day(DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset);
        return (start, start.AddDays(1));
    }

    /// <summary>The month that <paramref name="day"/> falls in.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Month(DateOnly day)
    {
        var start = new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, Offset);
        return (start, start.AddMonths(1));
    }

    public static (DateTimeOffset Start, DateTimeOffset End) Year(int year)
    {
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, Offset);
        return (start, start.AddYears(1));
    }
}
