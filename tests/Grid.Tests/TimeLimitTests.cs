using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.TimeLimits;

namespace PracticeMesh.Grid.Tests;

/// <summary>Limits counted on the 2026 calendar: whole working days, and working hours inside 08:30–12:00 and 13:30–17:30.</summary>
public sealed class TimeLimitTests
{
    private static readonly WorkingCalendar Calendar = CalendarTests.Calendar2026;

    internal static DateTimeOffset China(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static WorkingTime Days(int n) => new(n, LimitUnit.WorkingDays);
    private static WorkingTime Hours(int n) => new(n, LimitUnit.WorkingHours);

    [Fact]
    public void A_case_reported_the_afternoon_before_national_day_with_two_working_days_is_due_at_the_end_of_9_October()
    {
        // 1–7 Oct are off; 8 Oct (Thursday) is the first working day, 9 Oct the second.
        Assert.Equal(China(2026, 10, 9, 17, 30), Calendar.Add(China(2026, 9, 30, 15), Days(2)));
        Assert.Equal(China(2026, 10, 8, 17, 30), Calendar.Add(China(2026, 9, 30, 15), Days(1)));
    }

    [Fact]
    public void Working_hours_left_before_national_day_run_on_after_it()
    {
        // One hour on 30 Sep (16:30–17:30), the second from 08:30 on 8 Oct.
        Assert.Equal(China(2026, 10, 8, 9, 30), Calendar.Add(China(2026, 9, 30, 16, 30), Hours(2)));
    }

    [Fact]
    public void A_weekend_day_made_a_working_day_counts()
    {
        // Saturday 9 May 2026 is worked (调休 for 劳动节).
        Assert.Equal(China(2026, 5, 9, 17, 30), Calendar.Add(China(2026, 5, 8, 10), Days(1)));
        Assert.Equal(China(2026, 5, 9, 10), Calendar.Add(China(2026, 5, 8, 17), Hours(2)));
        // Sunday 20 Sep 2026 is worked (调休 for 国庆), an ordinary Saturday is not.
        Assert.Equal(China(2026, 9, 20, 17, 30), Calendar.Add(China(2026, 9, 18, 9), Days(1)));
        Assert.Equal(China(2026, 3, 9, 17, 30), Calendar.Add(China(2026, 3, 6, 9), Days(1)));
    }

    [Fact]
    public void Hour_limits_spill_over_the_lunch_break_and_the_weekend()
    {
        // Wednesday 11:00 + 4 h: one hour to noon, three after 13:30.
        Assert.Equal(China(2026, 3, 4, 16, 30), Calendar.Add(China(2026, 3, 4, 11), Hours(4)));
        // Friday 16:00 + 4 h: 1.5 h on Friday, 2.5 h from Monday 08:30.
        Assert.Equal(China(2026, 3, 9, 11), Calendar.Add(China(2026, 3, 6, 16), Hours(4)));
        // Reported in the lunch break or before hours, the clock starts when work does.
        Assert.Equal(China(2026, 3, 4, 14, 30), Calendar.Add(China(2026, 3, 4, 12, 30), Hours(1)));
        Assert.Equal(China(2026, 3, 9, 10, 30), Calendar.Add(China(2026, 3, 9, 7), Hours(2)));
        // Reported on Saturday evening, seven working hours end on Monday at 17:00.
        Assert.Equal(China(2026, 3, 9, 17), Calendar.Add(China(2026, 3, 7, 20), Hours(7)));
    }

    [Fact]
    public void Day_limits_skip_the_spring_festival_and_count_its_working_saturdays()
    {
        Assert.Equal(China(2026, 2, 14, 17, 30), Calendar.Add(China(2026, 2, 13, 9), Days(1)));
        Assert.Equal(China(2026, 2, 24, 17, 30), Calendar.Add(China(2026, 2, 13, 9), Days(2)));
        // Reported on a day off, the limit counts from the next working day all the same.
        Assert.Equal(China(2026, 2, 25, 17, 30), Calendar.Add(China(2026, 2, 18, 9), Days(2)));
    }

    [Fact]
    public void New_years_eve_2025_with_one_working_day_is_due_on_the_sunday_worked_after_new_year()
    {
        Assert.Equal(China(2026, 1, 4, 17, 30), Calendar.Add(China(2025, 12, 31, 10), Days(1)));
    }

    [Fact]
    public void Other_working_hours_count_as_configured()
    {
        var calendar = new WorkingCalendar(new Dictionary<int, CalendarYear>(), WorkingHours.Parse("09:00-17:00"));

        Assert.Equal(China(2031, 1, 6, 17), calendar.Add(China(2031, 1, 6, 9), Hours(8)));
        Assert.Equal(China(2031, 1, 7, 17), calendar.Add(China(2031, 1, 6, 9), Days(1)));
    }

    /// <summary>The service's own limits: the registered ICaseTimeLimits counts on the calendar written to its database.</summary>
    public sealed class Registered(GridFactory factory) : IClassFixture<GridFactory>
    {
        [Fact]
        public async Task The_service_counts_a_categorys_limits_on_the_shipped_calendar()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var limits = scope.ServiceProvider.GetRequiredService<ICaseTimeLimits>();
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            var roads = await db.CaseCategories.SingleAsync(c => c.Code == "road-damage");

            // Five working days from 30 Sep: 8, 9, 10 (Saturday, worked), 12 and 13 October.
            Assert.Equal(China(2026, 10, 13, 17, 30), await limits.DueAtAsync(roads, CaseStage.Handling, China(2026, 9, 30, 15), CancellationToken.None));
            // Eight working hours to accept from Thursday 24 Sep at the close: 中秋 (25–27 Sep) is off and Monday 28 Sep
            // gives seven and a half, so Tuesday 09:00.
            Assert.Equal(China(2026, 9, 29, 9), await limits.DueAtAsync(roads, CaseStage.Acceptance, China(2026, 9, 24, 17, 30), CancellationToken.None));
        }
    }
}
