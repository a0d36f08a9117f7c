using System.Globalization;
using PracticeMesh.Assessment.Periods;

namespace PracticeMesh.Assessment.Tests;

public class PeriodTests
{
    [Theory]
    [InlineData("2026-03-31T15:59:59Z", "2026-03")]
    [InlineData("2026-03-31T16:00:00Z", "2026-04")]   // midnight in China
    [InlineData("2026-02-28T23:00:00-05:00", "2026-03")]
    [InlineData("2025-12-31T20:00:00Z", "2026-01")]
    [InlineData("2026-04-01T07:59:00+08:00", "2026-04")]
    public void Months_are_counted_in_China_time(string at, string month) =>
        Assert.Equal(month, Period.MonthOf(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-03", "2026-03", "2026-03")]
    [InlineData("2026-Q2", "2026-04", "2026-06")]
    [InlineData("2026-q4", "2026-10", "2026-12")]
    [InlineData("2026", "2026-01", "2026-12")]
    public void A_period_covers_its_months(string text, string first, string last)
    {
        Assert.True(Period.TryParse(text, out var period));
        Assert.Equal(first, period.Months[0]);
        Assert.Equal(last, period.Months[^1]);
        Assert.Equal(new DateTimeOffset(int.Parse(first[..4], CultureInfo.InvariantCulture), int.Parse(first[5..], CultureInfo.InvariantCulture), 1, 0, 0, 0, TimeSpan.FromHours(8)), period.Start);
        Assert.Equal(period.Start.AddMonths(period.Months.Count), period.End);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-Q5")]
    [InlineData("2026-3")]
    [InlineData("26-03")]
    [InlineData("1999")]
    [InlineData("2026-03-01")]
    [InlineData("２０２６")]
    public void A_period_that_does_not_parse_is_refused(string text) => Assert.False(Period.TryParse(text, out _));
}
