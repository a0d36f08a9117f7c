using System.Net;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Each team's and each township's cadre corps' hours per head over the year (人均), members counted while they belonged.</summary>
public sealed class PerHeadApiTests(VolunteersFactory factory) : PerHeadScenario<VolunteersFactory>(factory), IClassFixture<VolunteersFactory>;

/// <summary>The same on PostgreSQL, where the per-member sums run as correlated subqueries over the ledger's index.</summary>
public sealed class PerHeadPostgresTests(PostgresVolunteersFactory factory) : PerHeadScenario<PostgresVolunteersFactory>(factory),
    IClassFixture<PostgresVolunteersFactory>;

public abstract class PerHeadScenario<TFactory>(TFactory factory) where TFactory : ServiceFactory<VolunteersModule>
{
    private const string Path = VolunteerClient.Path;

    private static async Task<Guid> TeamAsync(HttpClient client, string name, string tier, string home) =>
        (await client.PostAsync($"{Path}/teams", new { name, tier, homeStationCode = home }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static Task CreditAsync(HttpClient client, Guid volunteer, decimal hours, string servedOn) =>
        client.PostAsync($"{Path}/{volunteer}/hours/credits", new { hours, servedOn, reason = "集中实践活动补录" }, HttpStatusCode.Created);

    private static JsonElement Row(JsonElement rows, string key, string value) =>
        rows.EnumerateArray().Single(r => r.GetProperty(key).ToString() == value);

    [Fact]
    public async Task Teams_and_cadre_corps_are_averaged_per_head_over_the_time_each_member_belonged()
    {
        // The clock starts on 2026-03-04 09:00 China time: everyone registers and joins then.
        using var county = factory.CreateClient();
        var a = await county.RegisterApprovedAsync("甲", "321324106201");
        var b = await county.RegisterApprovedAsync("乙", "321324106201");
        var c = await county.RegisterApprovedAsync("丙", "321324106201");
        await county.RegisterApprovedAsync("丁", "321324106201", ["Teacher"]);
        var e = await county.RegisterApprovedAsync("戊", "321324107201");
        var joinedAt = factory.Clock.GetUtcNow();
        var team = await TeamAsync(county, "党员先锋队", "Team", "321324106201");
        var small = await TeamAsync(county, "卫生治理队", "Team", "321324106201");
        var empty = await TeamAsync(county, "青阳镇支队", "Township", "321324106");
        await CreditAsync(county, a, 3, "2026-03-01");
        foreach (var (t, v) in new[] { (team, a), (team, b), (small, c) })
        {
            await county.PostAsync($"{Path}/teams/{t}/members", new { volunteerId = v }, HttpStatusCode.Created);
        }

        factory.Clock.Advance(TimeSpan.FromDays(119));
        var leftAt = factory.Clock.GetUtcNow();
        await CreditAsync(county, a, 12, "2026-03-10");
        await CreditAsync(county, a, 12, "2026-03-11");
        await CreditAsync(county, b, 10, "2026-06-15");
        await CreditAsync(county, c, 2, "2026-06-15");
        await CreditAsync(county, e, 12, "2026-06-15");
        await county.PostAsync($"{Path}/teams/{team}/members/{b}/leave", null, HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await CreditAsync(county, b, 5, "2026-07-02");

        var report = await county.GetAsync($"{Path}/obligations/teams?year=2026&under=321324106", HttpStatusCode.OK);

        Assert.Equal((20m, 3), (report.GetProperty("targetHours").GetDecimal(), report.GetProperty("total").GetInt32()));
        var yearEnd = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var memberYears = (decimal)((yearEnd - joinedAt) + (leftAt - joinedAt)).TotalDays / 365m;
        var teamRow = Row(report.GetProperty("teams"), "teamId", team.ToString());
        // A's 24 h as a member (not the 3 h before joining), B's 10 h before leaving (not the 5 h after).
        Assert.Equal((2, Math.Round(memberYears, 2), 34m), (teamRow.GetProperty("members").GetInt32(), teamRow.GetProperty("memberYears").GetDecimal(),
            teamRow.GetProperty("hours").GetDecimal()));
        Assert.Equal(Math.Round(34m / memberYears, 2), teamRow.GetProperty("averageHours").GetDecimal());
        Assert.True(teamRow.GetProperty("met").GetBoolean());
        var smallRow = Row(report.GetProperty("teams"), "teamId", small.ToString());
        Assert.Equal((2m, false, true), (smallRow.GetProperty("hours").GetDecimal(), smallRow.GetProperty("met").GetBoolean(), smallRow.GetProperty("behind").GetBoolean()));
        var emptyRow = Row(report.GetProperty("teams"), "teamId", empty.ToString());
        Assert.Equal((0, JsonValueKind.Null, false), (emptyRow.GetProperty("members").GetInt32(), emptyRow.GetProperty("averageHours").ValueKind,
            emptyRow.GetProperty("met").GetBoolean()));

        var unmet = await county.GetAsync($"{Path}/obligations/teams?year=2026&under=321324106&met=false", HttpStatusCode.OK);
        Assert.Equal(new[] { empty, small }.Order(), unmet.GetProperty("teams").EnumerateArray().Select(r => r.GetProperty("teamId").GetGuid()).Order());
        var page = await county.GetAsync($"{Path}/obligations/teams?year=2026&under=321324106&limit=1&offset=1", HttpStatusCode.OK);
        Assert.Equal((3, 1), (page.GetProperty("total").GetInt32(), page.GetProperty("teams").GetArrayLength()));

        var cadres = await county.GetAsync($"{Path}/obligations/cadres?year=2026&under=321324", HttpStatusCode.OK);

        // Three cadres (丁 is a teacher), each from the day they registered: A's 3 h from before that day do not count.
        var cadreYears = 3 * (decimal)(yearEnd - new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.FromHours(8))).TotalDays / 365m;
        var township = Row(cadres.GetProperty("townships"), "townshipCode", "321324106");
        Assert.Equal((3, Math.Round(cadreYears, 2), 41m, Math.Round(41m / cadreYears, 2), false),
            (township.GetProperty("cadres").GetInt32(), township.GetProperty("cadreYears").GetDecimal(), township.GetProperty("hours").GetDecimal(),
                township.GetProperty("averageHours").GetDecimal(), township.GetProperty("met").GetBoolean()));
        Assert.Equal(12m, Row(cadres.GetProperty("townships"), "townshipCode", "321324107").GetProperty("hours").GetDecimal());

        // A township admin sees only their own township; a volunteer none of it.
        using var townshipAdmin = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324107");
        var own = await townshipAdmin.GetAsync($"{Path}/obligations/cadres?year=2026&under=321324", HttpStatusCode.OK);
        Assert.Equal("321324107", own.GetProperty("townships").EnumerateArray().Single().GetProperty("townshipCode").GetString());
        var foreign = await townshipAdmin.GetAsync($"{Path}/obligations/teams?year=2026&under=321324106", HttpStatusCode.OK);
        Assert.Equal(0, foreign.GetProperty("total").GetInt32());
        using var volunteer = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Volunteer, "321324106201", volunteerId: a));
        await volunteer.GetAsync($"{Path}/obligations/teams?year=2026", HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/obligations/cadres?year=2026", HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("teams?limit=0", "limit")]
    [InlineData("teams?offset=-1", "offset")]
    [InlineData("teams?year=1999", "year")]
    [InlineData("cadres?year=99999", "year")]
    public async Task Bad_report_parameters_are_400_naming_them(string query, string field)
    {
        using var county = factory.CreateClient();

        var problem = await county.GetAsync($"{Path}/obligations/{query}", HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
    }
}
