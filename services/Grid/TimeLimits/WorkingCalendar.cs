using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>Where a year's calendar came from.</summary>
public enum CalendarSource
{
    /// <summary>No data for the year: Saturdays and Sundays off, every other day worked.</summary>
    WeekendsOnly,
    /// <summary>The published State Council calendar shipped with the service (<c>TimeLimits/Calendars/{year}.json</c>).</summary>
    Default,
    /// <summary>Loaded by the county (<c>PUT /calendar/{year}</c>).</summary>
    County,
}

/// <summary>
/// One year of the working calendar (工作日历) as data: the public holidays (法定节假日, the whole days off of each
/// holiday period) and the weekend days made working days to make up for them (调休上班). Any other Saturday or Sunday
/// is off and any other weekday is worked.
/// </summary>
public sealed class CalendarYear
{
    private CalendarYear() { }

    public CalendarYear(int year, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays, CalendarSource source, DateTimeOffset at)
    {
        Year = year;
        Set(holidays, workdays, source, at);
    }

    public int Year { get; private set; }
    public List<DateOnly> Holidays { get; private set; } = [];
    public List<DateOnly> Workdays { get; private set; } = [];
    public CalendarSource Source { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public int Version { get; private set; }

    /// <summary>Replaces the year's days (a county reloading it); the version moves so concurrent loads conflict.</summary>
    public void Replace(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays, DateTimeOffset at)
    {
        Set(holidays, workdays, CalendarSource.County, at);
        Version++;
    }

    private void Set(IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays, CalendarSource source, DateTimeOffset at)
    {
        var errors = Validate(Year, holidays, workdays);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Holidays = [.. holidays.Distinct().Order()];
        Workdays = [.. workdays.Distinct().Order()];
        Source = source;
        UpdatedAt = at;
    }

    /// <summary>Days of another year, a working day that is no weekend day or a day in both lists: 400 naming the list.</summary>
    public static Dictionary<string, string[]> Validate(int year, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays)
    {
        var errors = new Dictionary<string, string[]>();
        if (year is < 2000 or > 2100)
        {
            errors["year"] = ["A year from 2000 to 2100."];
            return errors;
        }
        List<DateOnly> off = [.. holidays], on = [.. workdays];
        if (off.Where(d => d.Year != year).Take(1).ToList() is [var strayHoliday])
        {
            errors["holidays"] = [$"{strayHoliday:yyyy-MM-dd} is not in {year}."];
        }
        else if (off.Intersect(on).Take(1).ToList() is [var both])
        {
            errors["holidays"] = [$"{both:yyyy-MM-dd} cannot be both a holiday and a working day."];
        }
        if (on.Where(d => d.Year != year).Take(1).ToList() is [var strayWorkday])
        {
            errors["workdays"] = [$"{strayWorkday:yyyy-MM-dd} is not in {year}."];
        }
        else if (on.Where(d => !WorkingCalendar.IsWeekend(d)).Take(1).ToList() is [var weekday])
        {
            // Only a Saturday or Sunday can be made a working day (调休); a weekday already is one.
            errors["workdays"] = [$"{weekday:yyyy-MM-dd} is a {weekday.DayOfWeek}, already a working day."];
        }
        return errors;
    }
}

internal sealed class CalendarYearMapping : IEntityTypeConfiguration<CalendarYear>
{
    public void Configure(EntityTypeBuilder<CalendarYear> entity)
    {
        entity.ToTable("working_calendars");
        entity.HasKey(c => c.Year);
        entity.Property(c => c.Year).ValueGeneratedNever();
        entity.PrimitiveCollection(c => c.Holidays);
        entity.PrimitiveCollection(c => c.Workdays);
        entity.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        entity.Property(c => c.Version).IsConcurrencyToken();
    }
}

/// <summary>
/// The hours of a working day in China time (上午 08:30–12:00, 下午 13:30–17:30 by default; <c>Grid:WorkingHours</c>),
/// as ordered periods that do not overlap.
/// </summary>
public sealed class WorkingHours
{
    public const string Default = "08:30-12:00,13:30-17:30";

    public WorkingHours(IReadOnlyList<(TimeOnly Start, TimeOnly End)> periods)
    {
        if (periods.Count == 0 || periods.Any(p => p.End <= p.Start) || periods.Zip(periods.Skip(1)).Any(p => p.Second.Start < p.First.End))
        {
            throw new ArgumentException("Working hours are one or more ordered periods, each ending after it starts and before the next starts.", nameof(periods));
        }
        Periods = periods;
    }

    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> Periods { get; }

    /// <summary>When a working day ends: a limit in working days runs out then.</summary>
    public TimeOnly EndOfDay => Periods[^1].End;

    /// <summary>"08:30-12:00,13:30-17:30".</summary>
    public static WorkingHours Parse(string? text)
    {
        var periods = new List<(TimeOnly, TimeOnly)>();
        foreach (var period in (string.IsNullOrWhiteSpace(text) ? Default : text).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = period.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || !TimeOnly.TryParseExact(ends[0], "HH:mm", out var start) || !TimeOnly.TryParseExact(ends[1], "HH:mm", out var end))
            {
                throw new FormatException($"Grid:WorkingHours: '{period}' is not a period such as 08:30-12:00.");
            }
            periods.Add((start, end));
        }
        return new WorkingHours(periods);
    }
}

/// <summary>
/// Counts working time on the county's calendar: which days are worked (weekdays, less public holidays, plus 调休
/// weekend days) and the working hours of each. A pure function of its data, the same in every replica.
/// </summary>
/// <param name="years">The calendars the county has; a year missing from them has weekends off only.</param>
public sealed class WorkingCalendar(IReadOnlyDictionary<int, CalendarYear> years, WorkingHours hours)
{
    /// <summary>No limit reaches further than this; a calendar with no working day in it is a data error, not a loop.</summary>
    private const int MaxDaysAhead = 3 * 366;

    private readonly Dictionary<int, (HashSet<DateOnly> Off, HashSet<DateOnly> On)> _days = years.ToDictionary(
        y => y.Key, y => (y.Value.Holidays.ToHashSet(), y.Value.Workdays.ToHashSet()));

    public WorkingHours Hours => hours;

    public static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public bool IsWorkingDay(DateOnly day)
    {
        if (_days.TryGetValue(day.Year, out var year))
        {
            if (year.On.Contains(day))
            {
                return true;
            }
            if (year.Off.Contains(day))
            {
                return false;
            }
        }
        return !IsWeekend(day);
    }

    /// <summary>
    /// <paramref name="amount"/> of working time after <paramref name="from"/>, in UTC: counted in China time, stored
    /// and compared as every other instant (SQLite compares the stored clock time, so one offset for all).
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset from, WorkingTime amount) => (amount.Unit switch
    {
        LimitUnit.WorkingHours => AddHours(from, TimeSpan.FromHours(amount.Amount)),
        _ => AddDays(from, amount.Amount),
    }).ToUniversalTime();

    /// <summary>
    /// The moment <paramref name="amount"/> of working hours after <paramref name="from"/> have passed: only time
    /// inside working hours of working days counts, so an hour limit spills over the lunch break, the evening, the
    /// weekend and a holiday.
    /// </summary>
    public DateTimeOffset AddHours(DateTimeOffset from, TimeSpan amount)
    {
        var local = from.ToOffset(ChinaTime.Offset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var clock = TimeOnly.FromDateTime(local.DateTime);
        var remaining = amount;
        if (remaining <= TimeSpan.Zero)
        {
            return from;
        }
        for (var i = 0; i < MaxDaysAhead; i++, day = day.AddDays(1), clock = TimeOnly.MinValue)
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            foreach (var (start, end) in hours.Periods)
            {
                var begin = clock > start ? clock : start;
                if (begin >= end)
                {
                    continue;
                }
                var available = end - begin;
                if (remaining <= available)
                {
                    return At(day, begin) + remaining;
                }
                remaining -= available;
            }
        }
        throw new InvalidOperationException($"No working hours within {MaxDaysAhead} days of {from:O}.");
    }

    /// <summary>
    /// The end of the <paramref name="days"/>th working day after the day of <paramref name="from"/> (China time): the
    /// day a case comes in is not counted, whatever the hour, and the limit runs out when that working day's hours end.
    /// </summary>
    public DateTimeOffset AddDays(DateTimeOffset from, int days)
    {
        if (days <= 0)
        {
            return from;
        }
        var day = ChinaTime.Today(from);
        for (var i = 0; i < MaxDaysAhead; i++)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day) && --days == 0)
            {
                return At(day, hours.EndOfDay);
            }
        }
        throw new InvalidOperationException($"No working day within {MaxDaysAhead} days of {from:O}.");
    }

    private static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), ChinaTime.Offset);
}
