using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The per-head rule (人均): a group's time over the year divided by its members, each counted for the part of the year they belonged.</summary>
public sealed class PerHeadAverageTests
{
    private const int Twenty = 2000;
    private static readonly DateTimeOffset YearEnd2025 = ChinaTime.Year(2025).End;
    private static readonly DateTimeOffset Later = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset On(int month, int day, int year = 2025) => ChinaTime.Day(new DateOnly(year, month, day)).Start;

    private static decimal DaysIn2025(DateTimeOffset from, DateTimeOffset until) => (decimal)(until - from).TotalDays / 365m;

    [Fact]
    public void Someone_who_left_in_June_counts_for_the_months_they_were_a_member()
    {
        var stayed = new GroupTime(Guid.NewGuid(), On(1, 1), null, 1500);
        var leftInJune = new GroupTime(Guid.NewGuid(), On(1, 1), On(7, 1), 1000);

        var year = PerHeadAverage.Evaluate(2025, Twenty, [stayed, leftInJune], Later);

        var headYears = 1 + DaysIn2025(On(1, 1), On(7, 1));
        Assert.Equal((2, Math.Round(headYears, 2), 2500), (year.Heads, year.HeadYears, year.Hundredths));
        Assert.Equal((int)Math.Round(2500 / headYears), year.AverageHundredths);
        // 25 h over about one and a half member-years: 16.7 h a head, short of 20, though one member alone did 15 h
        // and the other 10 h in half a year (a personal pace of 20 h).
        Assert.False(year.Met);
        Assert.True(year.Behind);
    }

    [Fact]
    public void The_average_is_met_by_the_group_even_when_one_member_is_short()
    {
        var busy = new GroupTime(Guid.NewGuid(), On(1, 1), null, 3000);
        var idle = new GroupTime(Guid.NewGuid(), On(1, 1), null, 1000);

        var year = PerHeadAverage.Evaluate(2025, Twenty, [busy, idle], Later);

        Assert.Equal((2, 2m, 2000), (year.Heads, year.HeadYears, year.AverageHundredths));
        Assert.True(year.Met);
        Assert.False(year.Behind);
    }

    [Fact]
    public void Periods_are_clipped_to_the_year_and_periods_outside_it_count_nobody()
    {
        var acrossTheYear = new GroupTime(Guid.NewGuid(), On(10, 1, 2024), On(3, 1, 2026), 2000);
        var leftLastYear = new GroupTime(Guid.NewGuid(), On(1, 1, 2024), On(12, 31, 2024), 0);
        var joinsNextYear = new GroupTime(Guid.NewGuid(), On(1, 2, 2026), null, 0);
        var joinedInOctober = new GroupTime(Guid.NewGuid(), On(10, 1), null, 600);

        var year = PerHeadAverage.Evaluate(2025, Twenty, [acrossTheYear, leftLastYear, joinsNextYear, joinedInOctober], Later);

        var headYears = 1 + DaysIn2025(On(10, 1), YearEnd2025);
        Assert.Equal((2, Math.Round(headYears, 2), 2600), (year.Heads, year.HeadYears, year.Hundredths));
        Assert.Equal((int)Math.Round(2600 / headYears), year.AverageHundredths);
        Assert.True(year.Met);
    }

    [Fact]
    public void A_member_who_left_and_came_back_is_one_head_for_the_months_in_between_left_out()
    {
        var volunteer = Guid.NewGuid();
        var firstSpell = new GroupTime(volunteer, On(1, 1), On(4, 1), 600);
        var secondSpell = new GroupTime(volunteer, On(10, 1), null, 600);

        var year = PerHeadAverage.Evaluate(2025, Twenty, [firstSpell, secondSpell], Later);

        var headYears = DaysIn2025(On(1, 1), On(4, 1)) + DaysIn2025(On(10, 1), YearEnd2025);
        Assert.Equal((1, Math.Round(headYears, 2)), (year.Heads, year.HeadYears));
        Assert.Equal((int)Math.Round(1200 / headYears), year.AverageHundredths);
        Assert.True(year.Met);
    }

    [Fact]
    public void A_hair_under_the_target_is_not_met_though_it_rounds_to_it()
    {
        var members = Enumerable.Range(0, 3).Select(i => new GroupTime(Guid.NewGuid(), On(1, 1), null, i == 0 ? 1999 : 2000)).ToList();

        var year = PerHeadAverage.Evaluate(2025, Twenty, members, Later);

        Assert.Equal(2000, year.AverageHundredths);
        Assert.False(year.Met);
    }

    [Fact]
    public void A_group_nobody_belonged_to_has_no_average_and_is_not_met()
    {
        var year = PerHeadAverage.Evaluate(2025, Twenty, [], Later);

        Assert.Equal((0, 0m, null, false, false), (year.Heads, year.HeadYears, year.AverageHundredths, year.Met, year.Behind));
    }

    [Fact]
    public void During_the_year_a_group_is_behind_only_below_the_share_of_the_target_gone_by()
    {
        var now = On(7, 2, 2026);
        var share = ObligationPolicy.ElapsedShare(2026, now);
        var onPace = new GroupTime(Guid.NewGuid(), On(1, 1, 2026), null, (int)Math.Ceiling(Twenty * share) + 1);
        var slow = new GroupTime(Guid.NewGuid(), On(1, 1, 2026), null, 500);

        var paced = PerHeadAverage.Evaluate(2026, Twenty, [onPace], now);
        var behind = PerHeadAverage.Evaluate(2026, Twenty, [slow], now);

        Assert.Equal((false, false), (paced.Met, paced.Behind));
        Assert.Equal((false, true), (behind.Met, behind.Behind));
        Assert.Equal((int)Math.Ceiling(Twenty * share), paced.ExpectedByNowHundredths);
    }

    [Theory]
    [InlineData("321324104201", "321324104")]
    [InlineData("321324104", "321324104")]
    [InlineData("321324", "321324")]
    public void A_cadre_belongs_to_the_corps_of_their_home_township(string home, string corps) =>
        Assert.Equal(corps, PerHeadAverage.CorpsOf(DivisionCode.Parse(home)));
}
