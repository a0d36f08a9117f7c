using System.Globalization;
using PracticeMesh.Contracts;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

public class HourLedgerEntryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly DivisionCode Station = DivisionCode.Parse("321324104201");

    [Theory]
    [InlineData("0", 0, "0")]
    [InlineData("1.5", 90, "1.5")]
    [InlineData("0.33", 20, "0.33")]
    [InlineData("2.999", 180, "3")]
    [InlineData("24", 1440, "24")]
    public void Keeps_time_in_whole_minutes(string hours, int minutes, string shown)
    {
        var entry = HourLedgerEntry.CreditActivity(Guid.NewGuid(), Guid.NewGuid(), Station, decimal.Parse(hours, CultureInfo.InvariantCulture), Now, Now);

        Assert.Equal(minutes, entry.Minutes);
        Assert.Equal(decimal.Parse(shown, CultureInfo.InvariantCulture), entry.Hours);
        Assert.Equal(LedgerEntryKind.ActivityCredit, entry.Kind);
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("24.02")]
    [InlineData("100")]
    public void Refuses_negative_time_and_more_than_a_day(string hours)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HourLedgerEntry.CreditActivity(Guid.NewGuid(), Guid.NewGuid(), Station, decimal.Parse(hours, CultureInfo.InvariantCulture), Now, Now));
    }
}
