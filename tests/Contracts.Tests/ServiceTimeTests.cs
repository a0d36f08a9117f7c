namespace PracticeMesh.Contracts.Tests;

public class ServiceTimeTests
{
    [Theory]
    [InlineData(59.5, "0.99")]
    [InlineData(20.3, "0.34")]
    [InlineData(60, "1")]
    [InlineData(0.3, "0.01")]      // 18 s: half a hundredth, away from zero
    [InlineData(0.29, "0")]
    [InlineData(90, "1.5")]
    [InlineData(0, "0")]
    [InlineData(-5, "0")]          // checked out before checking in: nothing
    public void A_presence_is_credited_to_the_nearest_hundredth_of_an_hour(double minutes, string hours)
    {
        var credited = ServiceTime.FromPresence(TimeSpan.FromMinutes(minutes));

        Assert.Equal(decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture), credited.Hours);
    }

    /// <summary>Every presence (minutes and seconds): the hours shown convert back to the same time, within 18 s of the presence.</summary>
    [Fact]
    public void Hours_shown_carry_the_credited_time_exactly()
    {
        var random = new Random(20261130);
        var presences = Enumerable.Range(0, 3 * 3600).Select(s => TimeSpan.FromSeconds(s))
            .Concat(Enumerable.Range(0, 5000).Select(_ => TimeSpan.FromMilliseconds(random.NextInt64(0, 24L * 3600 * 1000))));
        foreach (var presence in presences)
        {
            var credited = ServiceTime.FromPresence(presence);

            Assert.Equal(credited, ServiceTime.FromHours(credited.Hours));
            Assert.Equal(decimal.Round(credited.Hours, 2), credited.Hours);
            Assert.InRange(Math.Abs(credited.Hours - (decimal)presence.TotalHours), 0m, 0.005m);
        }
    }

    [Fact]
    public void A_total_is_the_sum_of_the_hours_shown()
    {
        var random = new Random(7);
        for (var run = 0; run < 200; run++)
        {
            var credits = Enumerable.Range(0, random.Next(1, 60))
                .Select(_ => ServiceTime.FromPresence(TimeSpan.FromSeconds(random.Next(0, 8 * 3600)))).ToList();

            Assert.Equal(credits.Sum(c => c.Hours), ServiceTime.Sum(credits).Hours);
        }
    }

    [Theory]
    [InlineData("0.99", 99)]
    [InlineData("2.5", 250)]
    [InlineData("0.335", 34)]      // more than two decimals: the one rule
    [InlineData("-0.335", -34)]
    public void Hours_given_convert_by_the_same_rule(string hours, int hundredths)
    {
        Assert.Equal(hundredths, ServiceTime.FromHours(decimal.Parse(hours, System.Globalization.CultureInfo.InvariantCulture)).Hundredths);
    }
}
