using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>The cadence lists, series, lecturer pools and records run on PostgreSQL as they do on SQLite.</summary>
public sealed class SchedulingPostgresTests(PostgresActivitiesFactory factory) : IClassFixture<PostgresActivitiesFactory>
{
    [Fact]
    public async Task Cadence_lists_series_lecturers_and_records_run_on_postgres()
    {
        var scenario = await TeamScenario.RunAsync(factory);
        using var county = factory.CreateClient();
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var teams = TeamScenario.Below(await township.GetAsync($"{Route}/cadence/teams?year=2026", HttpStatusCode.OK));
        Assert.Equal((1, 1), (teams[scenario.Parent].GetProperty("heldActivities").GetInt32(), teams[scenario.Parent].GetProperty("participants").GetInt32()));
        // The scenario's two activities were announced 3 and 4 days ahead and attended: the station meets the rule, the other does not.
        var month = await county.GetAsync($"{Route}/cadence/stations/{TeamScenario.Station}/2026-03", HttpStatusCode.OK);
        Assert.Equal((2, true), (month.GetProperty("countedActivities").GetInt32(), month.GetProperty("met").GetBoolean()));
        var below = (await county.GetAsync($"{Route}/cadence/stations?under=321324&month=2026-03", HttpStatusCode.OK))
            .GetProperty("below").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()).ToList();
        Assert.Equal((false, true), (below.Contains(TeamScenario.Station), below.Contains(TeamScenario.OtherStation)));

        var lecturer = (await county.PostAsync($"{Route}/lecturers", new { divisionCode = "321324", name = "县宣讲团", topics = new[] { "政策" } }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var stationAdmin = factory.CreateClient(PracticeMeshRoles.StationAdmin, TeamScenario.Station);
        Assert.Contains((await stationAdmin.GetAsync($"{Route}/lecturers?topic=政策", HttpStatusCode.OK)).EnumerateArray(), l => l.GetProperty("id").GetGuid() == lecturer);

        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(1);
        var series = await county.PostAsync($"{Route}/series", new
        {
            stationCode = TeamScenario.Station, title = "每月走访日", category = "ConvenienceService", capacity = 5, startTime = "09:00", endTime = "11:00",
            lecturerId = lecturer, recurrence = new { frequency = "Monthly", dayOfMonth = 15, firstDate = today.ToString("yyyy-MM-dd"), count = 3 },
        }, HttpStatusCode.Created);
        var id = series.GetProperty("id").GetGuid();
        var changed = await county.SendJsonAsync(HttpMethod.Patch, $"{Route}/series/{id}", new { startTime = "14:00", endTime = "16:00" }, HttpStatusCode.OK);
        Assert.All(changed.GetProperty("occurrences").EnumerateArray(), o =>
        {
            Assert.Equal(14, o.GetProperty("startsAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).Hour);
            Assert.Equal("县宣讲团", o.GetProperty("lecturer").GetString());
        });

        var occurrence = changed.GetProperty("occurrences")[0].GetProperty("id").GetGuid();
        await county.SendJsonAsync(HttpMethod.Put, $"{Route}/{occurrence}/records/summary", new { summary = "走访12户" }, HttpStatusCode.OK);
        Assert.Equal("走访12户", (await county.GetAsync($"{Route}/{occurrence}/records", HttpStatusCode.OK)).GetProperty("summary").GetString());
    }
}
