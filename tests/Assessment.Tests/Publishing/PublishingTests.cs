using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Publishing;

/// <summary>
/// A county publishes a finished period once: the rankings are frozen with their explanations and scheme version, and
/// later facts show as a difference against them. Each test publishes a period of its own (the clock stands in March 2026).
/// </summary>
public sealed class PublishingTests(PublishingFactory factory) : IClassFixture<PublishingFactory>
{
    private const string Path = "/api/v1/assessment/periods";
    private static readonly object County = new { county = "321324" };

    private void Score(string period, params (AssessmentTier Tier, string Subject, decimal Total)[] scores)
    {
        foreach (var (tier, subject, total) in scores)
        {
            factory.Scores.Set(period, tier, subject, total);
        }
    }

    private void CountyOf(string period) => Score(period,
        (AssessmentTier.Station, "321324104201", 80), (AssessmentTier.Station, "321324104202", 92), (AssessmentTier.Station, "321324104201-S01", 80),
        (AssessmentTier.Station, "321324105201", 70), (AssessmentTier.Institute, "321324104", 85), (AssessmentTier.Institute, "321324105", 75));

    [Fact]
    public async Task Publishing_freezes_every_station_ranked_in_its_township_and_every_institute_and_announces_it()
    {
        CountyOf("2025-01");
        using var client = factory.CreateClient();

        var created = await client.PostAsync($"{Path}/2025-01/publish", County, HttpStatusCode.Created);
        Assert.True(created.GetProperty("published").GetBoolean());
        Assert.Equal(4, created.GetProperty("stations").GetInt32());
        Assert.Equal(0, created.GetProperty("scheme").GetProperty("version").GetInt32());
        var announced = await factory.PublishedAsync<AssessmentPublished>(e => e.Period == "2025-01" && e.DivisionCode.Value == "321324");
        Assert.Equal((4, 2, 2025, 0), (announced.Stations, announced.Institutes, announced.SchemeYear, announced.SchemeVersion));

        var status = await client.GetAsync($"{Path}/2025-01?county=321324", HttpStatusCode.OK);
        Assert.True(status.GetProperty("published").GetBoolean());
        Assert.False((await client.GetAsync($"{Path}/2024-12?county=321324", HttpStatusCode.OK)).GetProperty("published").GetBoolean());

        var stations = Items(await client.GetAsync($"{Path}/2025-01/results?tier=Station&under=321324", HttpStatusCode.OK));
        // Ranked within the township: 104's stations 1, 2, 2 (a tie shares its rank); 105's only station first.
        Assert.Equal([("321324104202", 1), ("321324104201", 2), ("321324104201-S01", 2), ("321324105201", 1)],
            stations.Select(i => (i.GetProperty("subject").GetString()!, i.GetProperty("rank").GetInt32())));
        Assert.All(stations, i => Assert.False(i.GetProperty("differs").GetBoolean()));
        var institutes = Items(await client.GetAsync($"{Path}/2025-01/results?tier=Institute&under=321324", HttpStatusCode.OK));
        Assert.Equal(["321324104", "321324105"], institutes.Select(i => i.GetProperty("subject").GetString()));

        // The explanation is frozen with the score: the station head reads which facts and rule gave the points.
        var one = await client.GetAsync($"{Path}/2025-01/results/Station/321324104202", HttpStatusCode.OK);
        var indicator = one.GetProperty("published").GetProperty("indicators")[0];
        Assert.Equal("concentratedActivities", indicator.GetProperty("code").GetString());
        Assert.Equal("集中实践活动", indicator.GetProperty("facts")[0].GetProperty("label").GetString());
        Assert.Equal("五星级实践站", one.GetProperty("published").GetProperty("starName").GetString());
    }

    [Fact]
    public async Task Publishing_a_period_again_or_withdrawing_it_is_refused_and_writes_nothing()
    {
        CountyOf("2025-02");
        using var client = factory.CreateClient();
        await client.PostAsync($"{Path}/2025-02/publish", County, HttpStatusCode.Created);
        await factory.PublishedAsync<AssessmentPublished>(e => e.Period == "2025-02");

        factory.Scores.Set("2025-02", AssessmentTier.Station, "321324104201", 99);
        var again = await client.PostAsync($"{Path}/2025-02/publish", County, HttpStatusCode.Conflict);
        Assert.Contains("published", again.GetProperty("detail").GetString());
        using (var delete = await client.DeleteAsync($"{Path}/2025-02?county=321324"))
        {
            Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        Assert.Equal(1, await db.PublishedPeriods.CountAsync(p => p.Period == "2025-02"));
        Assert.Equal(80m, (await db.PublishedResults.SingleAsync(r => r.Period == "2025-02" && r.Subject == "321324104201")).Total);
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(AssessmentPublished)) && m.Payload.Contains("\"2025-02\"")));
    }

    [Fact]
    public async Task A_period_that_does_not_parse_is_not_over_or_names_no_county_is_refused()
    {
        CountyOf("2026-03");
        using var client = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/2025-13/publish", County, HttpStatusCode.BadRequest), "period");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/2025-02/publish", new { county = "32132" }, HttpStatusCode.BadRequest), "county");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync($"{Path}/2025-02/publish", new { }, HttpStatusCode.BadRequest), "county");
        // March 2026 is still running (the clock stands on the 4th): half its facts would be frozen.
        var running = await client.PostAsync($"{Path}/2026-03/publish", County, HttpStatusCode.Conflict);
        Assert.Contains("not over", running.GetProperty("detail").GetString());
        await client.PostAsync($"{Path}/2026/publish", County, HttpStatusCode.Conflict);

        Assert.False((await client.GetAsync($"{Path}/2026-03?county=321324", HttpStatusCode.OK)).GetProperty("published").GetBoolean());
        await client.GetAsync($"{Path}/2026-03/results?tier=Station&under=321324", HttpStatusCode.NotFound);
        await client.GetAsync($"{Path}/2026-03/results?tier=Township&under=321324", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_later_change_of_facts_shows_as_a_difference_and_the_frozen_result_stays()
    {
        CountyOf("2025-03");
        using var client = factory.CreateClient();
        await client.PostAsync($"{Path}/2025-03/publish", County, HttpStatusCode.Created);

        // A correction arrives after publishing: the station now holds 3 concentrated activities and 86 points.
        factory.Scores.Set("2025-03", AssessmentTier.Station, "321324104201", 86, value: 3);

        var items = Items(await client.GetAsync($"{Path}/2025-03/results?tier=Station&under=321324104", HttpStatusCode.OK));
        var changed = items.Single(i => i.GetProperty("subject").GetString() == "321324104201");
        Assert.Equal((80m, 86m, 6m, true, 2), (changed.GetProperty("total").GetDecimal(), changed.GetProperty("liveTotal").GetDecimal(),
            changed.GetProperty("difference").GetDecimal(), changed.GetProperty("differs").GetBoolean(), changed.GetProperty("rank").GetInt32()));
        Assert.All(items.Where(i => i.GetProperty("subject").GetString() != "321324104201"), i => Assert.False(i.GetProperty("differs").GetBoolean()));

        var one = await client.GetAsync($"{Path}/2025-03/results/station/321324104201", HttpStatusCode.OK);
        Assert.Equal(80m, one.GetProperty("published").GetProperty("total").GetDecimal());
        Assert.Equal(86m, one.GetProperty("live").GetProperty("total").GetDecimal());
        var difference = one.GetProperty("difference");
        Assert.Equal(6m, difference.GetProperty("total").GetDecimal());
        var indicator = difference.GetProperty("indicators")[0];
        Assert.Equal((1m, 6m), (indicator.GetProperty("value").GetDecimal(), indicator.GetProperty("points").GetDecimal()));
        Assert.True(one.GetProperty("differs").GetBoolean());
    }

    [Fact]
    public async Task A_township_admin_may_not_publish_and_reads_only_their_township()
    {
        CountyOf("2025-04");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await township.PostAsync($"{Path}/2025-04/publish", County, HttpStatusCode.Forbidden);
        Assert.False((await township.GetAsync($"{Path}/2025-04?county=321324", HttpStatusCode.OK)).GetProperty("published").GetBoolean());

        using var county = factory.CreateClient();
        await county.PostAsync($"{Path}/2025-04/publish", County, HttpStatusCode.Created);
        var seen = Items(await township.GetAsync($"{Path}/2025-04/results?tier=Station&under=321324", HttpStatusCode.OK));
        Assert.All(seen, i => Assert.StartsWith("321324104", i.GetProperty("subject").GetString()));
        Assert.Equal(3, seen.Count);
        await township.GetAsync($"{Path}/2025-04/results/Station/321324105201", HttpStatusCode.NotFound);
        await county.GetAsync($"{Path}/2025-04/results/Station/321324105201", HttpStatusCode.OK);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await volunteer.PostAsync($"{Path}/2025-04/publish", County, HttpStatusCode.Forbidden);
    }

    private static List<JsonElement> Items(JsonElement ranking) => [.. ranking.GetProperty("items").EnumerateArray()];
}
