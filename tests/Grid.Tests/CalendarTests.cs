using PracticeMesh.Grid.TimeLimits;

namespace PracticeMesh.Grid.Tests;

/// <summary>The shipped 2026 calendar (国务院办公厅 2026 holiday notice) as the working calendar reads it.</summary>
public sealed class CalendarTests
{
    internal static readonly WorkingCalendar Calendar2026 = new(
        ShippedCalendars.Load(DateTimeOffset.UnixEpoch).ToDictionary(y => y.Year), WorkingHours.Parse(null));

    [Theory]
    [InlineData("2026-01-01")] // 元旦
    [InlineData("2026-01-02")]
    [InlineData("2026-02-16")] // 春节 15–23 Feb
    [InlineData("2026-02-23")]
    [InlineData("2026-04-06")] // 清明 (Monday)
    [InlineData("2026-05-05")] // 劳动节 1–5 May
    [InlineData("2026-06-19")] // 端午 (Friday)
    [InlineData("2026-09-25")] // 中秋 (Friday)
    [InlineData("2026-10-01")] // 国庆 1–7 Oct
    [InlineData("2026-10-07")]
    [InlineData("2026-03-07")] // an ordinary Saturday
    public void Holidays_and_ordinary_weekends_are_days_off(string day) =>
        Assert.False(Calendar2026.IsWorkingDay(DateOnly.Parse(day)));

    [Theory]
    [InlineData("2026-01-04")] // Sunday after 元旦
    [InlineData("2026-02-14")] // Saturday before 春节
    [InlineData("2026-02-28")] // Saturday after 春节
    [InlineData("2026-05-09")] // Saturday after 劳动节
    [InlineData("2026-09-20")] // Sunday before 国庆
    [InlineData("2026-10-10")] // Saturday after 国庆
    [InlineData("2026-10-08")] // the first weekday after 国庆
    [InlineData("2026-03-04")] // an ordinary Wednesday
    public void Weekend_days_made_working_days_and_ordinary_weekdays_are_worked(string day) =>
        Assert.True(Calendar2026.IsWorkingDay(DateOnly.Parse(day)));

    [Fact]
    public void The_shipped_2026_calendar_holds_the_notices_33_days_off_and_6_working_weekend_days()
    {
        var year = Assert.Single(ShippedCalendars.Load(DateTimeOffset.UnixEpoch), y => y.Year == 2026);

        Assert.Equal(33, year.Holidays.Count);
        Assert.Equal(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
            year.Workdays.Select(d => d.ToString("yyyy-MM-dd")));
        Assert.Equal(CalendarSource.Default, year.Source);
    }

    [Fact]
    public void A_year_with_no_data_has_only_weekends_off()
    {
        Assert.True(Calendar2026.IsWorkingDay(new DateOnly(2031, 1, 1))); // a Wednesday, whatever its holiday
        Assert.False(Calendar2026.IsWorkingDay(new DateOnly(2031, 1, 4))); // a Saturday
    }

    [Theory]
    [InlineData("08:30-12:00,13:30-17:30", 2)]
    [InlineData(" 09:00-17:00 ", 1)]
    public void Working_hours_are_read_from_settings(string text, int periods) =>
        Assert.Equal(periods, WorkingHours.Parse(text).Periods.Count);

    [Theory]
    [InlineData("8-12")]
    [InlineData("12:00-08:30")]
    [InlineData("08:30-12:00,11:00-17:30")]
    public void Bad_working_hours_stop_the_start(string text) =>
        Assert.ThrowsAny<Exception>(() => WorkingHours.Parse(text));
}
