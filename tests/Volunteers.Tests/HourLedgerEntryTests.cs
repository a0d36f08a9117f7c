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
    [InlineData("1.5", 150, "1.5")]
    [InlineData("0.33", 33, "0.33")]
    [InlineData("0.99", 99, "0.99")]     // 59.5 minutes at the activity: the ledger holds what the activity credited
    [InlineData("2.999", 300, "3")]
    [InlineData("24", 2400, "24")]
    public void Keeps_time_in_hundredths_of_an_hour(string hours, int hundredths, string shown)
    {
        var entry = HourLedgerEntry.CreditActivity(Guid.NewGuid(), Guid.NewGuid(), Station, decimal.Parse(hours, CultureInfo.InvariantCulture), Now, Now);

        Assert.Equal(hundredths, entry.Hundredths);
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

    [Fact]
    public void Every_credit_holds_the_hours_the_activity_credited_and_the_total_is_their_sum()
    {
        var random = new Random(59);
        var entries = new List<HourLedgerEntry>();
        for (var i = 0; i < 2000; i++)
        {
            var credited = ServiceTime.FromPresence(TimeSpan.FromSeconds(random.Next(0, 8 * 3600))).Hours;

            var entry = HourLedgerEntry.CreditActivity(Guid.NewGuid(), Guid.NewGuid(), Station, credited, Now, Now);

            Assert.Equal(credited, entry.Hours);
            entries.Add(entry);
        }
        Assert.Equal(entries.Sum(e => e.Hours), new ServiceTime(entries.Sum(e => e.Hundredths)).Hours);
    }
}
