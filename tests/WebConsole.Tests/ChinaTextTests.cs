namespace PracticeMesh.WebConsole.Tests;

/// <summary>Every time the console shows is China's, whatever zone the server or the browser is in.</summary>
public sealed class ChinaTextTests
{
    [Fact]
    public void A_moment_is_written_in_china_time_and_a_late_utc_evening_is_the_next_china_day()
    {
        var evening = new DateTimeOffset(2026, 3, 5, 20, 15, 0, TimeSpan.Zero);
        Assert.Equal("2026-03-06 04:15", ChinaText.Minute(evening));
        Assert.Equal("2026-03-06", ChinaText.Day(evening));
        // A time given in another zone reads the same.
        Assert.Equal("2026-03-06 04:15", ChinaText.Minute(evening.ToOffset(TimeSpan.FromHours(-5))));
        Assert.Equal("3月6日 04:15", ChinaText.Format(evening, "M月d日 HH:mm"));
    }

    [Fact]
    public void No_time_is_written_as_the_pages_placeholder()
    {
        Assert.Equal("", ChinaText.Minute(null));
        Assert.Equal("—", ChinaText.Minute(null, "—"));
        Assert.Equal("—", ChinaText.Day(null, "—"));
    }
}
