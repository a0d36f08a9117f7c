using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Facts;

/// <summary><c>POST /api/v1/assessment/rebuild/{period}?county=</c>: a figure in doubt is recomputed from the facts.</summary>
public sealed class RebuildApiTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";
    private const string Station = "321324111201";

    [Fact]
    public async Task A_damaged_month_is_restored_from_the_facts_and_the_leaderboards_of_its_year_follow()
    {
        using var client = factory.CreateClient();
        var startsAt = new DateTimeOffset(2026, 6, 10, 1, 0, 0, TimeSpan.Zero);
        var volunteer = Guid.NewGuid();
        await factory.DeliverAsync([
            new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), DivisionCode.Parse(Station), Guid.NewGuid(), Station, Guid.NewGuid(), ActivityCategory.Culture,
                startsAt, startsAt.AddHours(2), [new(volunteer, 2m), new(Guid.NewGuid(), 1.5m)], 9),
            new HoursCredited(Guid.NewGuid(), startsAt.AddHours(3), DivisionCode.Parse(Station), volunteer, Guid.NewGuid(), null, 2m, 2m),
            new VolunteerApproved(Guid.NewGuid(), startsAt.AddDays(-30), DivisionCode.Parse(Station), volunteer, "王芳", null, Station, ["Cadre"]),
        ]);
        var month = $"{Path}/stations/{Station}/months/2026-06";
        var counted = await client.GetAsync(month, HttpStatusCode.OK);
        Assert.Equal(3.5m, counted.GetProperty("volunteerHours").GetDecimal());
        await WithDbAsync(db => db.MeasureCells.Where(c => c.Subject == Station && c.Month == "2026-06" && c.Measure == Measures.Measures.ActivityHours)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, 99_900)));
        // The volunteer's month is damaged too, and the leaderboard is made to show it.
        await WithDbAsync(async db =>
        {
            await db.MeasureCells.Where(c => c.Subject == volunteer.ToString() && c.Month == "2026-06" && c.Measure == Measures.Measures.VolunteerHours)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, 99_900));
            db.LeaderboardMarks.Add(LeaderboardMark.For(SubjectKind.Volunteer, volunteer.ToString(), 2026));
            return await db.SaveChangesAsync();
        });
        await BoardShowsAsync(client, volunteer, 999m);
        Assert.Equal(999m, (await client.GetAsync(month, HttpStatusCode.OK)).GetProperty("volunteerHours").GetDecimal());

        var report = await client.PostAsync($"{Path}/rebuild/2026-Q2?county=321324", null, HttpStatusCode.OK);

        Assert.Equal(("2026-Q2", 3), (report.GetProperty("period").GetString(), report.GetProperty("months").GetInt32()));
        Assert.True(report.GetProperty("factsRead").GetInt64() >= 4, report.ToString());
        Assert.Equal(counted.ToString(), (await client.GetAsync(month, HttpStatusCode.OK)).ToString());
        // The rebuild marked the year's leaderboards: the board follows the rebuilt cells.
        await BoardShowsAsync(client, volunteer, 2m);
    }

    private static Task BoardShowsAsync(HttpClient client, Guid volunteer, decimal hours) =>
        HttpAssertions.EventuallyAsync(async () =>
        {
            var board = await client.GetAsync($"{Path}/leaderboards/volunteers?year=2026&under={Station}", HttpStatusCode.OK);
            return board.EnumerateArray().Any(p => p.GetProperty("volunteerId").GetGuid() == volunteer && p.GetProperty("hours").GetDecimal() == hours) ? "shown" : null;
        }, $"{hours} hours on the station's leaderboard");

    [Theory]
    [InlineData("2026-13", "321324", "period")]
    [InlineData("next-month", "321324", "period")]
    [InlineData("2026-05", "", "county")]
    [InlineData("2026-05", "321324104", "county")]
    [InlineData("2026-05", "32132x", "county")]
    public async Task A_bad_period_or_county_is_a_400_naming_it(string period, string county, string field)
    {
        using var client = factory.CreateClient();
        var query = county.Length == 0 ? "" : $"?county={county}";

        var problem = await client.PostAsync($"{Path}/rebuild/{period}{query}", null, HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
    }

    [Fact]
    public async Task Only_a_caller_with_assessment_write_covering_the_county_rebuilds()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await township.PostAsync($"{Path}/rebuild/2026-05?county=321324", null, HttpStatusCode.NotFound);
        using var reader = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321324", [ApiScopes.AssessmentRead]);
        await reader.PostAsync($"{Path}/rebuild/2026-05?county=321324", null, HttpStatusCode.Forbidden);
        using var otherCounty = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321323");
        await otherCounty.PostAsync($"{Path}/rebuild/2026-05?county=321324", null, HttpStatusCode.NotFound);
    }

    private async Task WithDbAsync<T>(Func<AssessmentDbContext, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<AssessmentDbContext>());
    }
}
