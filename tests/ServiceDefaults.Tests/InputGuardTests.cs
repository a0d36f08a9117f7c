using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>The accepted date window and the storable-text rule every service's edge relies on.</summary>
public class InputGuardTests
{
    // 2026-12-31 20:00 UTC is already 2027-01-01 in China: the window's last year follows China's calendar.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero));
    private static readonly AcceptedDates Dates = new(Options.Create(new AcceptedDatesOptions()), Clock);

    [Fact]
    public void The_window_runs_from_the_earliest_year_to_ten_years_after_this_china_year()
    {
        Assert.Equal(new DateOnly(2000, 1, 1), Dates.Earliest);
        Assert.Equal(new DateOnly(2037, 12, 31), Dates.Latest);
        Assert.True(Dates.Contains(new DateTimeOffset(2000, 1, 1, 0, 0, 0, ChinaTime.Offset)));
        Assert.False(Dates.Contains(new DateTimeOffset(1999, 12, 31, 23, 59, 59, ChinaTime.Offset)));
        Assert.True(Dates.Contains(new DateTimeOffset(2037, 12, 31, 23, 59, 59, ChinaTime.Offset)));
        Assert.False(Dates.Contains(new DateTimeOffset(2038, 1, 1, 0, 0, 0, ChinaTime.Offset)));
        // The calendar's own ends are compared, never converted.
        Assert.False(Dates.Contains(DateTimeOffset.MinValue));
        Assert.False(Dates.Contains(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("2026-03", true)]
    [InlineData("2000-01", true)]
    [InlineData("2037-12", true)]
    [InlineData("2038-01", false)]
    [InlineData("1999-12", false)]
    [InlineData("0001-01", false)]
    [InlineData("9999-12", false)]
    [InlineData("2026-13", false)]
    [InlineData("2026-3", false)]
    [InlineData("2026-03-01", false)]
    [InlineData("March", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_month_is_written_yyyy_MM_within_the_window(string? text, bool valid)
    {
        if (valid)
        {
            Assert.Equal(1, Dates.EnsureMonth("month", text).Day);
        }
        else
        {
            Assert.Contains("month", Assert.Throws<DomainValidationException>(() => Dates.EnsureMonth("month", text)).Errors.Keys);
        }
    }

    [Fact]
    public void Every_field_outside_the_window_is_named_and_absent_values_pass()
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            Dates.Ensure(("from", new DateOnly(1, 1, 1)), ("to", new DateOnly(9999, 12, 31)), ("on", (DateOnly?)null), ("day", new DateOnly(2026, 3, 1))));
        Assert.Equal(["from", "to"], error.Errors.Keys.Order());
        Assert.Equal(2026, Dates.EnsureYear("year", 2026));
        Assert.Throws<DomainValidationException>(() => Dates.EnsureYear("year", 10000));
    }

    [Fact]
    public void Text_is_storable_without_nul_or_unpaired_surrogates()
    {
        // Built in code: an attribute argument is stored as UTF-8, which would turn a lone surrogate into U+FFFD.
        foreach (var text in new[] { "王芳", "", "emoji \ud83c\udf3e pair" })
        {
            Assert.True(StorableText.IsStorable(text), text);
        }
        foreach (var text in new[] { "a\u0000b", "\ud800", "x\udc00y", "\ud83c\udf3e\ud83c", "\udf3e\ud83c" })
        {
            Assert.False(StorableText.IsStorable(text), text);
        }
    }
}
