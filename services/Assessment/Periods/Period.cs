using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Assessment.Periods;

public enum PeriodKind { Month, Quarter, Year }

/// <summary>
/// An assessment period in China time: a month ("2026-03"), a quarter ("2026-Q1") or a year ("2026"). Facts are kept
/// per month (<see cref="Months"/>); a quarter or year is the sum of its months, or the state at its <see cref="End"/>.
/// </summary>
public readonly record struct Period(PeriodKind Kind, int Year, int Number)
{
    public static Period ForMonth(int year, int month) => new(PeriodKind.Month, year, month);
    public static Period ForQuarter(int year, int quarter) => new(PeriodKind.Quarter, year, quarter);
    public static Period ForYear(int year) => new(PeriodKind.Year, year, 0);

    /// <summary>The month key ("yyyy-MM", China time) an instant falls in: the key facts and cells are kept under.</summary>
    public static string MonthOf(DateTimeOffset at) => at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string MonthOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public int FirstMonth => Kind switch { PeriodKind.Month => Number, PeriodKind.Quarter => (Number - 1) * 3 + 1, _ => 1 };
    public int MonthCount => Kind switch { PeriodKind.Month => 1, PeriodKind.Quarter => 3, _ => 12 };

    /// <summary>The month keys ("yyyy-MM") the period covers, in order.</summary>
    public IReadOnlyList<string> Months
    {
        get
        {
            var (year, first) = (Year, FirstMonth);
            return [.. Enumerable.Range(first, MonthCount).Select(m => $"{year:0000}-{m:00}")];
        }
    }

    /// <summary>The first instant of the period (China midnight).</summary>
    public DateTimeOffset Start => new(Year, FirstMonth, 1, 0, 0, 0, ChinaTime.Offset);

    /// <summary>The first instant after the period: states (six haves, staffing, members) are read as they stood just before it.</summary>
    public DateTimeOffset End => Start.AddMonths(MonthCount);

    /// <summary>The year the period lies in, as a period: yearly targets are prorated by <see cref="MonthCount"/> of 12.</summary>
    public Period WholeYear => ForYear(Year);

    public bool Contains(string month) => string.CompareOrdinal(month, Months[0]) >= 0 && string.CompareOrdinal(month, Months[^1]) <= 0;

    public override string ToString() => Kind switch
    {
        PeriodKind.Month => $"{Year:0000}-{Number:00}",
        PeriodKind.Quarter => $"{Year:0000}-Q{Number}",
        _ => $"{Year:0000}",
    };

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (string.IsNullOrEmpty(text) || text.Length < 4 || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000)
        {
            return false;
        }
        var rest = text.AsSpan(4);
        if (rest.Length == 0)
        {
            period = ForYear(year);
            return true;
        }
        if (rest.Length == 3 && rest[0] == '-' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
        {
            period = ForMonth(year, month);
            return true;
        }
        if (rest.Length == 3 && rest[0] == '-' && rest[1] is 'Q' or 'q' && rest[2] is >= '1' and <= '4')
        {
            period = ForQuarter(year, rest[2] - '0');
            return true;
        }
        return false;
    }

    /// <summary>The period in <paramref name="text"/>, or a 400 naming <paramref name="field"/>.</summary>
    public static Period Parse(string? text, string field = "period") =>
        TryParse(text, out var period) ? period
            : throw new DomainValidationException(field, "A period is a month (2026-03), a quarter (2026-Q1) or a year (2026), from 2000 on.");
}
