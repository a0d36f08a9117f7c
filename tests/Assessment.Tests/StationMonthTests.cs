using PracticeMesh.Assessment.Domain;
using PracticeMesh.Contracts;

namespace PracticeMesh.Assessment.Tests;

public class StationMonthTests
{
    [Theory]
    [InlineData("2026-03-31T15:59:59Z", "2026-03")]
    [InlineData("2026-03-31T16:00:00Z", "2026-04")]   // midnight in China
    [InlineData("2026-03-31T17:00:00Z", "2026-04")]
    [InlineData("2026-02-28T23:00:00-05:00", "2026-03")]
    [InlineData("2025-12-31T20:00:00Z", "2026-01")]
    [InlineData("2026-04-01T07:59:00+08:00", "2026-04")]
    public void Months_are_counted_in_China_time(string at, string month)
    {
        Assert.Equal(month, StationMonth.MonthOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Adds_up_activities_participants_and_hours()
    {
        var month = StationMonth.Start("321324104201", DivisionCode.Parse("321324104201"), "2026-03");

        month.AddCompletedActivity([ServiceTime.FromHours(1.5m), ServiceTime.FromHours(2m), ServiceTime.FromHours(1m)]);
        month.AddCompletedActivity([]);
        month.AddCompletedActivity([ServiceTime.FromHours(0.33m)]);

        Assert.Equal(3, month.CompletedActivities);
        Assert.Equal(4, month.ParticipantCount);
        Assert.Equal(4.83m, month.VolunteerHours);
    }

    [Fact]
    public void A_month_holds_exactly_the_sum_of_its_credits_and_corrections()
    {
        var random = new Random(30);
        for (var run = 0; run < 100; run++)
        {
            var month = StationMonth.Start("321324104201", DivisionCode.Parse("321324104201"), "2026-03");
            var shown = 0m;
            for (var activity = 0; activity < random.Next(1, 40); activity++)
            {
                // The hours as the activities service credits and publishes them.
                var credits = Enumerable.Range(0, random.Next(0, 6))
                    .Select(_ => ServiceTime.FromPresence(TimeSpan.FromSeconds(random.Next(0, 4 * 3600))).Hours).ToList();
                month.AddCompletedActivity([.. credits.Select(ServiceTime.FromHours)]);
                shown += credits.Sum();
            }
            var correction = ServiceTime.FromPresence(TimeSpan.FromMinutes(59.5)).Hours - ServiceTime.FromPresence(TimeSpan.FromMinutes(20.3)).Hours;
            month.AdjustCompletedActivity(0, ServiceTime.FromHours(correction));
            shown += correction;

            Assert.Equal(shown, month.VolunteerHours);
        }
    }
}
