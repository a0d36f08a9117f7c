using System.Globalization;
using Microsoft.Extensions.Options;

namespace PracticeMesh.ServiceDefaults;

/// <summary>Settings of <see cref="AcceptedDates"/>, section <c>Dates</c>.</summary>
public sealed class AcceptedDatesOptions
{
    public const string Section = "Dates";

    /// <summary>No record of the network predates this year: 1 January of it is the first day accepted.</summary>
    public int EarliestYear { get; set; } = 2000;

    /// <summary>How many years after this one (China time) a plan may reach: 31 December of that year is the last day accepted.</summary>
    public int YearsAhead { get; set; } = 10;

    internal bool IsValid => EarliestYear is >= 1900 and <= 2100 && YearsAhead is >= 0 and <= 100;
}

/// <summary>
/// The window of dates a user may send: every day, instant, month and year in a request body, query or route is
/// checked against it at the edge, so a typo such as 0001-01-01 or 9999-12-31 is a 400 naming the field rather than
/// a record nobody can use, or a 500 when China-time arithmetic leaves the calendar.
/// Absent values pass: whether a field is required is the domain's rule.
/// </summary>
public sealed class AcceptedDates(IOptions<AcceptedDatesOptions> options, TimeProvider time)
{
    public DateOnly Earliest => new(options.Value.EarliestYear, 1, 1);

    public DateOnly Latest => new(ChinaTime.Today(time.GetUtcNow()).Year + options.Value.YearsAhead, 12, 31);

    public bool Contains(DateOnly day) => day >= Earliest && day <= Latest;

    /// <summary>Compared as instants: converting an instant near the calendar's ends to China time could itself overflow.</summary>
    public bool Contains(DateTimeOffset at) => at >= ChinaTime.Day(Earliest).Start && at < ChinaTime.Day(Latest).End;

    public void Ensure(string field, DateOnly? day) => Ensure((field, day));

    public void Ensure(string field, DateTimeOffset? at) => Ensure((field, at));

    /// <summary>400 naming every field whose day lies outside the window.</summary>
    public void Ensure(params ReadOnlySpan<(string Field, DateOnly? Day)> days)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var (field, day) in days)
        {
            if (day is { } value && !Contains(value))
            {
                (errors ??= [])[field] = [DayMessage];
            }
        }
        ThrowIfAny(errors);
    }

    /// <summary>400 naming every field whose instant lies outside the window.</summary>
    public void Ensure(params ReadOnlySpan<(string Field, DateTimeOffset? At)> instants)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var (field, at) in instants)
        {
            if (at is { } value && !Contains(value))
            {
                (errors ??= [])[field] = [DayMessage];
            }
        }
        ThrowIfAny(errors);
    }

    /// <summary>Returns <paramref name="year"/> when the window holds it; 400 naming <paramref name="field"/> otherwise.</summary>
    public int EnsureYear(string field, int year) =>
        year >= Earliest.Year && year <= Latest.Year
            ? year
            : throw new DomainValidationException(field, $"A year from {Earliest.Year} to {Latest.Year}.");

    /// <summary>Parses a month written yyyy-MM and returns its first day; 400 naming <paramref name="field"/> when malformed or outside the window.</summary>
    public DateOnly EnsureMonth(string field, string? month)
    {
        if (!DateOnly.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            throw new DomainValidationException(field, "A month is written yyyy-MM, e.g. 2026-03.");
        }
        return Contains(first)
            ? first
            : throw new DomainValidationException(field, $"A month from {Earliest:yyyy-MM} to {Latest:yyyy-MM}.");
    }

    private string DayMessage => $"A date from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd} (China time).";

    private static void ThrowIfAny(Dictionary<string, string[]>? errors)
    {
        if (errors is not null)
        {
            throw new DomainValidationException(errors);
        }
    }
}
