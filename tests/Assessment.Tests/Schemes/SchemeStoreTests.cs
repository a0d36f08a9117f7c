using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Schemes.SchemeRequests;

namespace PracticeMesh.Assessment.Tests.Schemes;

/// <summary>A county stores its yearly scheme as versions; the latest is in force, the shipped default until there is one.</summary>
public sealed class SchemeStoreTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string County = "321324";

    [Fact]
    public async Task Each_store_is_a_new_version_and_the_latest_is_in_force()
    {
        using var client = factory.CreateClient();
        var document = await DefaultDocumentAsync(client, 2027);
        document["name"] = "泗洪县2027年度考核方案";
        var (first, firstResponse) = await PutJsonAsync(client, County, 2027, document, HttpStatusCode.Created);
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal($"{Root}/schemes/{County}/2027/versions/1", firstResponse.Headers.Location?.OriginalString);
        Assert.Equal(1, (await client.GetAsync($"{Root}/schemes/{County}/2027", HttpStatusCode.OK)).GetProperty("version").GetInt32());

        document["name"] = "泗洪县2027年度考核方案（修订）";
        document["indicators"]![1]!["target"] = 3;
        var (second, secondResponse) = await PutJsonAsync(client, County, 2027, document, HttpStatusCode.Created);
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Equal($"{Root}/schemes/{County}/2027/versions/2", secondResponse.Headers.Location?.OriginalString);

        var inForce = await client.GetAsync($"{Root}/schemes/{County}/2027", HttpStatusCode.OK);
        Assert.Equal(2, inForce.GetProperty("version").GetInt32());
        Assert.Equal("泗洪县2027年度考核方案（修订）", inForce.GetProperty("name").GetString());
        Assert.Equal(3, inForce.GetProperty("document").GetProperty("indicators")[1].GetProperty("target").GetDecimal());
        Assert.Equal("test county_admin", inForce.GetProperty("createdBy").GetString());

        var versions = await client.GetAsync($"{Root}/schemes/{County}/2027/versions", HttpStatusCode.OK);
        Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["泗洪县2027年度考核方案", "泗洪县2027年度考核方案（修订）"], versions.EnumerateArray().Select(v => v.GetProperty("name").GetString()));

        // The first version stays as it was stored: results that name it are explained by its own rules.
        var old = await client.GetAsync($"{Root}/schemes/{County}/2027/versions/1", HttpStatusCode.OK);
        Assert.Equal(2, old.GetProperty("document").GetProperty("indicators")[1].GetProperty("target").GetDecimal());
        await client.GetAsync($"{Root}/schemes/{County}/2027/versions/3", HttpStatusCode.NotFound);

        // Another year of the county is untouched.
        Assert.Equal(0, (await client.GetAsync($"{Root}/schemes/{County}/2028", HttpStatusCode.OK)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task The_scoring_code_reads_the_version_in_force_and_any_stored_one()
    {
        using var client = factory.CreateClient();
        var document = await DefaultDocumentAsync(client, 2029);
        document["starBands"]![0]!["minScore"] = 95;
        await PutJsonAsync(client, County, 2029, document, HttpStatusCode.Created);

        using var scope = factory.Services.CreateScope();
        var schemes = scope.ServiceProvider.GetRequiredService<ISchemes>();
        var active = await schemes.ForYearAsync(County, 2029, CancellationToken.None);
        Assert.Equal(new SchemeRef(County, 2029, 1), active.Ref);
        Assert.Equal(95, active.Document.StarBands.Single(b => b.Stars == 5).MinScore);
        Assert.Equal(2029, active.Document.Year);
        Assert.Equal(new SchemeRef(County, 2029, 0), (await schemes.VersionAsync(County, 2029, 0, CancellationToken.None))!.Ref);
        Assert.Null(await schemes.VersionAsync(County, 2029, 2, CancellationToken.None));
        Assert.Equal(new SchemeRef(County, 2030, 0), (await schemes.ForYearAsync(County, 2030, CancellationToken.None)).Ref);
    }

    [Fact]
    public async Task A_year_without_a_stored_scheme_has_the_default_as_version_0()
    {
        using var client = factory.CreateClient();
        var inForce = await client.GetAsync($"{Root}/schemes/{County}/2026", HttpStatusCode.OK);
        Assert.Equal(County, inForce.GetProperty("county").GetString());
        Assert.Equal(2026, inForce.GetProperty("year").GetInt32());
        Assert.Equal(0, inForce.GetProperty("version").GetInt32());
        Assert.Equal(2026, inForce.GetProperty("document").GetProperty("year").GetInt32());
        Assert.Equal(JsonValueKind.Null, inForce.GetProperty("createdAt").ValueKind);
        Assert.Empty(await VersionsAsync(client, County, 2026));

        var zero = await client.GetAsync($"{Root}/schemes/{County}/2026/versions/0", HttpStatusCode.OK);
        Assert.Equal(inForce.GetProperty("document").ToString(), zero.GetProperty("document").ToString());

        // The seed's rules: two concentrated activities a month, teams' participation 70 %, five stars from 90 points.
        var shipped = await client.GetAsync($"{Root}/schemes/default", HttpStatusCode.OK);
        var indicators = shipped.GetProperty("indicators").EnumerateArray().ToDictionary(i => i.GetProperty("code").GetString()!);
        Assert.Equal(2, indicators["concentratedActivities"].GetProperty("target").GetDecimal());
        Assert.Equal(0.7m, indicators["teamParticipation"].GetProperty("target").GetDecimal());
        Assert.Equal(25, indicators["candidateHoursPerHead"].GetProperty("target").GetDecimal());
        Assert.Equal("五星级实践站", shipped.GetProperty("starBands").EnumerateArray().Single(b => b.GetProperty("stars").GetInt32() == 5).GetProperty("name").GetString());
    }

    [Fact]
    public void The_shipped_default_keeps_every_rule_a_stored_scheme_must_keep()
    {
        Assert.Empty(SchemeValidator.Validate(DefaultScheme.For(County, 2026).Document, 2026));
        Assert.All(Enum.GetValues<AssessmentTier>(), tier =>
            Assert.Equal(100, DefaultScheme.Shipped.Indicators.Where(i => i.Tiers.Contains(tier)).Sum(i => i.Weight)));
    }

    [Fact]
    public async Task The_catalogue_lists_every_indicator_with_its_unit()
    {
        using var client = factory.CreateClient();
        var catalogue = await client.GetAsync($"{Root}/indicators", HttpStatusCode.OK);
        var units = catalogue.EnumerateArray().ToDictionary(i => i.GetProperty("code").GetString()!, i => i.GetProperty("unit").GetString());
        Assert.Equal(14, units.Count);
        Assert.Equal("Ratio", units["teamParticipation"]);
        Assert.Equal("Boolean", units["sixHaves"]);
        Assert.Equal("HoursPerHeadPerYear", units["cadreHoursPerHead"]);
        Assert.All(catalogue.EnumerateArray(), i =>
        {
            Assert.False(string.IsNullOrEmpty(i.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrEmpty(i.GetProperty("meaning").GetString()));
        });
    }

    [Fact]
    public async Task A_yaml_scheme_is_the_same_document_as_its_json()
    {
        using var client = factory.CreateClient();
        var json = await DefaultDocumentAsync(client, 2032);
        json["name"] = "泗洪县2032年度考核方案";
        json["indicators"]![3]!["target"] = 0.75;
        await PutJsonAsync(client, County, 2032, json, HttpStatusCode.Created);
        var (yamlStored, _) = await PutAsync(client, County, 2032, Yaml2032, "application/yaml", HttpStatusCode.Created);
        Assert.Equal(2, yamlStored.GetProperty("version").GetInt32());

        var fromJson = await client.GetAsync($"{Root}/schemes/{County}/2032/versions/1", HttpStatusCode.OK);
        var fromYaml = await client.GetAsync($"{Root}/schemes/{County}/2032/versions/2", HttpStatusCode.OK);
        Assert.Equal(fromJson.GetProperty("document").ToString(), fromYaml.GetProperty("document").ToString());

        // text/yaml is YAML too, and a byte order mark is no part of either.
        await PutAsync(client, County, 2032, "\uFEFF" + Yaml2032, "text/yaml; charset=utf-8", HttpStatusCode.Created);
        await PutAsync(client, County, 2032, "\uFEFF" + json.ToJsonString(), "application/json", HttpStatusCode.Created);
        var versions = await VersionsAsync(client, County, 2032);
        Assert.Equal([1, 2, 3, 4], versions);
        var fromBom = await client.GetAsync($"{Root}/schemes/{County}/2032/versions/4", HttpStatusCode.OK);
        Assert.Equal(fromJson.GetProperty("document").ToString(), fromBom.GetProperty("document").ToString());
    }

    /// <summary>The default scheme written as YAML, with participation's target at 75 %.</summary>
    private const string Yaml2032 = """
        year: 2032
        name: 泗洪县2032年度考核方案
        indicators:
          - { code: sixHaves, name: 六有达标, tiers: [Station, Institute], weight: 15, target: 1, method: Linear }
          - { code: concentratedActivities, name: 每月集中实践活动不少于2次, tiers: [Station, Institute], weight: 15, target: 2, method: Linear }
          - { code: teamActivities, name: 志愿服务队每年活动不少于12次, tiers: [Station, Institute], weight: 10, target: 12, method: Linear }
          - { code: teamParticipation, name: 志愿者参与率不低于70%, tiers: [Station, Institute], weight: 10, target: 0.75, method: Linear }
          - { code: cadreHoursPerHead, name: 党政干部人均年服务不少于20小时, tiers: [Station, Institute], weight: 8, target: 20, method: Linear }
          - { code: teamHoursPerHead, name: 志愿服务团队人均年服务不少于20小时, tiers: [Station, Institute], weight: 5, target: 20, method: Linear }
          - { code: candidateHoursPerHead, name: 入党、拟提拔人员人均年服务不少于25小时, tiers: [Station, Institute], weight: 4, target: 25, method: Linear }
          - { code: leagueApplicantHoursPerHead, name: 入团积极分子人均年服务不少于10小时, tiers: [Station, Institute], weight: 3, target: 10, method: Linear }
          - { code: serviceHours, name: 志愿服务时长, tiers: [Station, Institute], weight: 5, target: 20, method: Linear }
          - code: averageRating
            name: 群众评价
            tiers: [Station, Institute]
            weight: 8
            target: 4.5
            method: Threshold
            bands:
              - { atLeast: 1.0, points: 8 }
              - { atLeast: 0.9, points: 6 }
              - { atLeast: 0.8, points: 4 }
              - { atLeast: 0.6, points: 2 }
          - { code: ordersOnTime, name: 点单按时办结率, tiers: [Station, Institute], weight: 5, target: 0.9, method: Linear }
          - { code: careVisits, name: 走访帮扶, tiers: [Station, Institute], weight: 4, target: 4, method: Linear }
          - { code: casesClosedOnTime, name: 网格事件按时办结率, tiers: [Station, Institute], weight: 5, target: 0.9, method: Linear }
          - { code: staffingMet, name: 人员配备达标, tiers: [Station, Institute], weight: 3, target: 1, method: Linear }
        deductions:
          - { code: sixHavesNotMet, indicator: sixHaves, below: 1, points: 5, reason: 六有未全部达标 }
          - { code: staffingShort, indicator: staffingMet, below: 1, points: 3, reason: 未按要求配备专兼职人员 }
        starBands:
          - { stars: 5, minScore: 90, name: 五星级实践站 }
          - { stars: 4, minScore: 80, name: 四星级实践站 }
          - { stars: 3, minScore: 70, name: 三星级实践站 }
          - { stars: 2, minScore: 60, name: 二星级实践站 }
          - { stars: 1, minScore: 50, name: 一星级实践站 }
        honours:
          volunteers: { minHours: 40, minActivities: 6, minAverageRating: null, excludeSuspended: true, excludeCorrected: true }
          teams: { minActivities: 12, minParticipation: 0.7, minAverageRating: 4.0 }
        """;

    [Fact]
    public async Task The_documented_yaml_example_is_a_scheme_the_county_can_store()
    {
        var docs = new DirectoryInfo(AppContext.BaseDirectory);
        while (docs is not null && !File.Exists(System.IO.Path.Combine(docs.FullName, "docs", "assessment.md")))
        {
            docs = docs.Parent;
        }
        Assert.NotNull(docs);
        var text = await File.ReadAllTextAsync(System.IO.Path.Combine(docs.FullName, "docs", "assessment.md"));
        var start = text.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = text[start..text.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("year: 2027", yaml);

        using var client = factory.CreateClient();
        var (stored, _) = await PutAsync(client, County, 2033, yaml.Replace("year: 2027", "year: 2033"), "application/yaml", HttpStatusCode.Created);
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
        var careVisits = stored.GetProperty("document").GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "careVisits");
        Assert.Equal("Capped", careVisits.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Only_those_who_reach_the_whole_county_store_its_scheme()
    {
        using var county = factory.CreateClient();
        var document = await DefaultDocumentAsync(county, 2034);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await PutJsonAsync(township, County, 2034, document, HttpStatusCode.Forbidden);
        using var reader = factory.CreateClient(PracticeMeshRoles.CountyAdmin, County, [ApiScopes.AssessmentRead]);
        await PutJsonAsync(reader, County, 2034, document, HttpStatusCode.Forbidden);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await PutJsonAsync(volunteer, County, 2034, document, HttpStatusCode.Forbidden);
        using var anonymous = factory.CreateAnonymousClient();
        using var content = new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var refused = await anonymous.PutAsync($"{Root}/schemes/{County}/2034", content);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(await VersionsAsync(county, County, 2034));

        // Everyone assessed under the county reads its rules; another county's admin finds no such county.
        Assert.Equal(0, (await township.GetAsync($"{Root}/schemes/{County}/2034", HttpStatusCode.OK)).GetProperty("version").GetInt32());
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        await station.GetAsync($"{Root}/schemes/{County}/2034/versions", HttpStatusCode.OK);
        using var neighbour = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321323");
        await neighbour.GetAsync($"{Root}/schemes/{County}/2034", HttpStatusCode.NotFound);
        await PutJsonAsync(neighbour, County, 2034, document, HttpStatusCode.Forbidden);
        await anonymous.GetAsync($"{Root}/indicators", HttpStatusCode.Unauthorized);
        await volunteer.GetAsync($"{Root}/schemes/default", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Stores_at_the_same_moment_each_get_their_own_version()
    {
        using var client = factory.CreateClient();
        await SchemeConcurrency.AssertDistinctVersionsAsync(client, County, 2035);
    }
}

/// <summary>The same race on PostgreSQL, where requests really write at once.</summary>
public sealed class SchemeStorePostgresTests(SchemeStorePostgresTests.SchemesPostgresFactory factory) : IClassFixture<SchemeStorePostgresTests.SchemesPostgresFactory>
{
    public sealed class SchemesPostgresFactory() : PostgresServiceFactory<AssessmentModule>("assessment");

    [Fact]
    public async Task Stores_at_the_same_moment_each_get_their_own_version()
    {
        using var client = factory.CreateClient();
        await SchemeConcurrency.AssertDistinctVersionsAsync(client, "321324", 2035);
    }
}

internal static class SchemeConcurrency
{
    /// <summary>
    /// Eight stores sent at once: a store that loses the race for a number is retried with the next, so every one is
    /// stored, each as its own version, and the list holds exactly those.
    /// </summary>
    public static async Task AssertDistinctVersionsAsync(HttpClient client, string county, int year)
    {
        var document = await DefaultDocumentAsync(client, year);
        var texts = Enumerable.Range(1, 8).Select(i =>
        {
            var copy = document.DeepClone();
            copy["name"] = $"方案 {i}";
            return copy.ToJsonString();
        }).ToList();
        using var start = new SemaphoreSlim(0);
        var stores = texts.Select(async text =>
        {
            await start.WaitAsync();
            using var content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PutAsync($"{Root}/schemes/{county}/{year}", content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
            var stored = JsonDocument.Parse(body).RootElement;
            return (Version: stored.GetProperty("version").GetInt32(), Name: stored.GetProperty("name").GetString());
        }).ToList();
        start.Release(texts.Count);
        var results = await Task.WhenAll(stores);

        Assert.Equal(Enumerable.Range(1, texts.Count), results.Select(r => r.Version).Order());
        var versions = await client.GetAsync($"{Root}/schemes/{county}/{year}/versions", HttpStatusCode.OK);
        Assert.Equal(results.OrderBy(r => r.Version).Select(r => r.Name),
            versions.EnumerateArray().Select(v => v.GetProperty("name").GetString()));
    }
}
