using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Series;

public enum SeriesFrequency { Weekly, Monthly }

/// <summary>When a series' occurrences fall: weekly on given weekdays, or monthly on a day; until a date or for a count.</summary>
public sealed record Recurrence(SeriesFrequency Frequency, IReadOnlyList<DayOfWeek>? Weekdays, int? DayOfMonth, DateOnly? FirstDate, DateOnly? Until, int? Count)
{
    /// <summary>
    /// The occurrence dates (China dates), or a 400 naming what is wrong. A series is bounded: it needs an end date or
    /// a count, and stays within <paramref name="maxOccurrences"/> and <paramref name="maxDays"/> of its first date.
    /// A monthly day a month lacks (the 31st in April) is skipped that month, as calendars do.
    /// </summary>
    public IReadOnlyList<DateOnly> Dates(DateOnly today, int maxOccurrences, int maxDays)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(Frequency))
        {
            errors["recurrence.frequency"] = ["Weekly or Monthly."];
        }
        if (FirstDate is not { } first)
        {
            errors["recurrence.firstDate"] = ["The first date (yyyy-MM-dd) is required."];
            first = today;
        }
        else if (first < today)
        {
            errors["recurrence.firstDate"] = ["A series starts today or later."];
        }
        if (Until is null && Count is null)
        {
            errors["recurrence.until"] = ["A series ends: give an end date (until) or a number of occurrences (count)."];
        }
        if (Count is < 1 || Count > maxOccurrences)
        {
            errors["recurrence.count"] = [$"A series has 1 to {maxOccurrences} occurrences."];
        }
        if (Until is { } until && (until < first || until.DayNumber - first.DayNumber >= maxDays))
        {
            errors["recurrence.until"] = [$"The end date is on or after the first date and within {maxDays} days of it."];
        }
        var weekdays = Weekdays ?? [];
        if (Frequency == SeriesFrequency.Weekly && (weekdays.Count == 0 || weekdays.Any(d => !Enum.IsDefined(d))))
        {
            errors["recurrence.weekdays"] = ["A weekly series names its weekdays (Monday ... Sunday)."];
        }
        if (Frequency == SeriesFrequency.Monthly && DayOfMonth is not (>= 1 and <= 31))
        {
            errors["recurrence.dayOfMonth"] = ["A monthly series names its day of the month, 1 to 31."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var last = Until ?? first.AddDays(maxDays - 1);
        var dates = new List<DateOnly>();
        for (var day = first; day <= last && dates.Count < (Count ?? int.MaxValue); day = day.AddDays(1))
        {
            if (Frequency == SeriesFrequency.Weekly ? weekdays.Contains(day.DayOfWeek) : day.Day == DayOfMonth)
            {
                dates.Add(day);
            }
        }
        if (dates.Count == 0)
        {
            throw new DomainValidationException("recurrence", "The recurrence gives no date.");
        }
        if (dates.Count > maxOccurrences)
        {
            throw new DomainValidationException("recurrence.until", $"That gives {dates.Count} occurrences; a series has at most {maxOccurrences}.");
        }
        return dates;
    }
}

/// <summary>
/// A repeating activity (定期活动: a weekly patrol, a monthly visit day). Its occurrences are ordinary activities that
/// name it; the series keeps the rule and what every occurrence is, so a change reaches the occurrences not yet held.
/// </summary>
public sealed class ActivitySeries
{
    private ActivitySeries() { }

    public Guid Id { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public SeriesFrequency Frequency { get; private set; }
    public List<DayOfWeek> Weekdays { get; private set; } = [];
    public int? DayOfMonth { get; private set; }
    public DateOnly FirstDate { get; private set; }
    public DateOnly? Until { get; private set; }
    public int? Count { get; private set; }
    /// <summary>China time of day.</summary>
    public TimeOnly StartTime { get; private set; }
    public TimeOnly EndTime { get; private set; }
    public string Title { get; private set; } = "";
    public ActivityCategory Category { get; private set; }
    public int Capacity { get; private set; }
    public Guid? TeamId { get; private set; }
    public PracticePlatform? Platform { get; private set; }
    public string? Venue { get; private set; }
    public string? Lecturer { get; private set; }
    public Guid? LecturerId { get; private set; }
    public string? Audience { get; private set; }
    public string? Content { get; private set; }
    public bool IsMobile { get; private set; }
    public string? Place { get; private set; }
    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ChangedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? CancelReason { get; private set; }
    /// <summary>Two organisers changing the series at once: the second save fails instead of mixing their changes.</summary>
    public int Version { get; private set; }

    public Recurrence Recurrence => new(Frequency, Weekdays, DayOfMonth, FirstDate, Until, Count);

    public static ActivitySeries Create(Guid id, string stationCode, DivisionCode division, Recurrence recurrence, TimeOnly startTime, TimeOnly endTime,
        ActivityDetails template, DateTimeOffset now) => new ActivitySeries
    {
        Id = id,
        StationCode = stationCode,
        DivisionCode = division,
        Frequency = recurrence.Frequency,
        Weekdays = recurrence.Frequency == SeriesFrequency.Weekly ? (recurrence.Weekdays ?? []).Distinct().Order().ToList() : [],
        DayOfMonth = recurrence.Frequency == SeriesFrequency.Monthly ? recurrence.DayOfMonth : null,
        FirstDate = recurrence.FirstDate!.Value,
        Until = recurrence.Until,
        Count = recurrence.Count,
        StartTime = startTime,
        EndTime = endTime,
        CreatedAt = now,
    }.Describe(template);

    /// <summary>What an occurrence on <paramref name="day"/> is.</summary>
    public ActivityDetails OccurrenceOn(DateOnly day) => new(Title, Category, At(day, StartTime), At(day, EndTime), Capacity, TeamId, Platform, Venue,
        Lecturer, Audience, Content, null, IsMobile, Place, Latitude, Longitude, LecturerId);

    /// <summary>A new description and time of day for the series (its dates stay as its rule gave them).</summary>
    public void Change(TimeOnly startTime, TimeOnly endTime, ActivityDetails template, DateTimeOffset now)
    {
        EnsureNotCancelled();
        StartTime = startTime;
        EndTime = endTime;
        Describe(template);
        ChangedAt = now;
        Version++;
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        EnsureNotCancelled();
        CancelledAt = now;
        CancelReason = reason;
        Version++;
    }

    public void EnsureNotCancelled()
    {
        if (CancelledAt is not null)
        {
            throw new ConflictException("The series is cancelled.");
        }
    }

    /// <summary>The China date an occurrence is held on.</summary>
    public static DateOnly DayOf(DateTimeOffset startsAt) => DateOnly.FromDateTime(startsAt.ToOffset(ChinaTime.Offset).DateTime);

    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), ChinaTime.Offset);

    private ActivitySeries Describe(ActivityDetails d)
    {
        Title = d.Title?.Trim() ?? "";
        Category = d.Category;
        Capacity = d.Capacity;
        TeamId = d.TeamId;
        Platform = d.Platform;
        Venue = Clean(d.Venue);
        Lecturer = Clean(d.Lecturer);
        LecturerId = d.LecturerId;
        Audience = Clean(d.Audience);
        Content = Clean(d.Content);
        IsMobile = d.IsMobile;
        Place = Clean(d.Place);
        Latitude = d.Latitude;
        Longitude = d.Longitude;
        return this;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
