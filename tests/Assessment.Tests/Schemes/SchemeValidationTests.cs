using System.Net;
using System.Text.Json.Nodes;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Schemes.SchemeRequests;

namespace PracticeMesh.Assessment.Tests.Schemes;

/// <summary>
/// A scheme that breaks a rule is refused with a 400 naming the field as the document spells it, and nothing is stored.
/// Each case changes one thing in the shipped default (indicators: 0 sixHaves 15, 1 concentratedActivities 15,
/// 2 teamActivities 10, 3 teamParticipation 10, 9 averageRating 8 by threshold, 11 careVisits 4, 13 staffingMet 3).
/// </summary>
public sealed class SchemeValidationTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string County = "321324";
    private const int Year = 2031;

    private static readonly Dictionary<string, (Action<JsonObject> Change, string Field)> Cases = new()
    {
        ["a string target"] = (d => Indicator(d, 3)["target"] = "0.7", "indicators[3].target"),
        ["a weight in words"] = (d => Indicator(d, 0)["weight"] = "ten", "indicators[0].weight"),
        ["a null weight"] = (d => Indicator(d, 0)["weight"] = null, "indicators[0].weight"),
        ["a method given as a number"] = (d => Indicator(d, 0)["method"] = 1, "indicators[0].method"),
        ["an unknown method"] = (d => Indicator(d, 0)["method"] = "Quadratic", "indicators[0].method"),
        ["an unknown tier"] = (d => Indicator(d, 0)["tiers"] = new JsonArray("Station", "County"), "indicators[0].tiers[1]"),
        ["a misspelt field"] = (d => Indicator(d, 11)["pointPerUnit"] = 1, "indicators[11].pointPerUnit"),
        ["no indicators"] = (d => d["indicators"] = new JsonArray(), "indicators"),
        ["a year other than the route's"] = (d => d["year"] = Year + 1, "year"),
        ["no name"] = (d => d["name"] = " ", "name"),
        ["an unknown indicator"] = (d => Indicator(d, 3)["code"] = "smiles", "indicators[3].code"),
        ["an indicator twice"] = (d => Indicator(d, 1)["code"] = "sixHaves", "indicators[1].code"),
        ["no tiers"] = (d => Indicator(d, 0)["tiers"] = new JsonArray(), "indicators[0].tiers"),
        ["a weight of 0"] = (d => Indicator(d, 0)["weight"] = 0, "indicators[0].weight"),
        ["a negative weight"] = (d => Indicator(d, 2)["weight"] = -10, "indicators[2].weight"),
        ["weights adding up to 95"] = (d => Indicator(d, 0)["weight"] = 10, "indicators"),
        ["weights adding up to 100 for one tier only"] = (d => Indicator(d, 13)["tiers"] = new JsonArray("Station"), "indicators"),
        ["a share above 1"] = (d => Indicator(d, 3)["target"] = 70, "indicators[3].target"),
        ["a yes-or-no target of 2"] = (d => Indicator(d, 0)["target"] = 2, "indicators[0].target"),
        ["a rating target of 6"] = (d => Indicator(d, 9)["target"] = 6, "indicators[9].target"),
        ["a count target of 0"] = (d => Indicator(d, 1)["target"] = 0, "indicators[1].target"),
        ["hours per head of -20"] = (d => Indicator(d, 4)["target"] = -20, "indicators[4].target"),
        ["a threshold without bands"] = (d => Indicator(d, 9)["bands"] = null, "indicators[9].bands"),
        ["a band from 0"] = (d => Band(d, 3)["atLeast"] = 0, "indicators[9].bands[3].atLeast"),
        ["a band worth more than the weight"] = (d => Band(d, 0)["points"] = 9, "indicators[9].bands[0].points"),
        ["capped without points per unit"] = (d => Capped(d, null, 4), "indicators[11].pointsPerUnit"),
        ["capped above the weight"] = (d => Capped(d, 1, 5), "indicators[11].cap"),
        ["linear with bands"] = (d => Indicator(d, 0)["bands"] = new JsonArray(new JsonObject { ["atLeast"] = 1, ["points"] = 15 }), "indicators[0].bands"),
        ["a deduction on an unknown indicator"] = (d => Deduction(d, 0)["indicator"] = "smiles", "deductions[0].indicator"),
        ["a deduction on an indicator the scheme does not score"] = (d =>
        {
            // careVisits leaves the scheme (its 4 points go to service hours), yet a deduction still names it.
            d["indicators"]!.AsArray().RemoveAt(11);
            Indicator(d, 8)["weight"] = 9;
            Deduction(d, 1)["indicator"] = "careVisits";
        }, "deductions[1].indicator"),
        ["a deduction of 0 points"] = (d => Deduction(d, 0)["points"] = 0, "deductions[0].points"),
        ["a deduction without a reason"] = (d => Deduction(d, 1)["reason"] = "", "deductions[1].reason"),
        ["six stars"] = (d => Star(d, 0)["stars"] = 6, "starBands[0].stars"),
        ["five stars twice"] = (d => Star(d, 1)["stars"] = 5, "starBands[1].stars"),
        ["a band from 0 points"] = (d => Star(d, 4)["minScore"] = 0, "starBands[4].minScore"),
        ["a band from 120 points"] = (d => Star(d, 0)["minScore"] = 120, "starBands[0].minScore"),
        ["five stars for fewer points than four"] = (d => Star(d, 0)["minScore"] = 75, "starBands[0].minScore"),
        ["no star bands"] = (d => d["starBands"] = new JsonArray(), "starBands"),
        ["negative hours for an outstanding volunteer"] = (d => d["honours"]!["volunteers"]!["minHours"] = -1, "honours.volunteers.minHours"),
        ["a volunteer rating of 0.5"] = (d => d["honours"]!["volunteers"]!["minAverageRating"] = 0.5, "honours.volunteers.minAverageRating"),
        ["participation of 150 %"] = (d => d["honours"]!["teams"]!["minParticipation"] = 1.5, "honours.teams.minParticipation"),
        ["a team rating of 6"] = (d => d["honours"]!["teams"]!["minAverageRating"] = 6, "honours.teams.minAverageRating"),
        ["negative team activities"] = (d => d["honours"]!["teams"]!["minActivities"] = -12, "honours.teams.minActivities"),
        ["a nul character in a name"] = (d => Indicator(d, 0)["name"] = "六有\u0000", "indicators[0].name"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_broken_rule_is_named_and_nothing_is_stored(string name)
    {
        using var client = factory.CreateClient();
        var document = await DefaultDocumentAsync(client, Year);
        var (change, field) = Cases[name];
        change(document);
        var (problem, _) = await PutJsonAsync(client, County, Year, document, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, field);
        Assert.Empty(await VersionsAsync(client, County, Year));
        Assert.Equal(0, (await client.GetAsync($"{Root}/schemes/{County}/{Year}", HttpStatusCode.OK)).GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("{\"year\": 2031, \"name\": ", "application/json", "body")]
    [InlineData("[]", "application/json", "body")]
    [InlineData("null", "application/json", "body")]
    [InlineData("year: 2031\nindicators: [", "application/yaml", "body")]
    [InlineData("year: 2031\n---\nyear: 2031\n", "application/yaml", "body")]
    [InlineData("- 1\n- 2\n", "application/yaml", "body")]
    [InlineData("{\"year\": 2031, \"name\": \"\\ud800\"}", "application/json", "name")]
    [InlineData("{\"year\": 2031, \"year\": 2031}", "application/json", "year")]
    [InlineData("year: 2031\nname: \"\\0\"\n", "application/yaml", "name")]
    public async Task A_body_that_does_not_read_is_refused(string text, string mediaType, string field)
    {
        using var client = factory.CreateClient();
        var (problem, _) = await PutAsync(client, County, Year, text, mediaType, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, field);
        Assert.Empty(await VersionsAsync(client, County, Year));
    }

    [Fact]
    public async Task Nesting_past_any_scheme_is_refused()
    {
        using var client = factory.CreateClient();
        var (problem, _) = await PutAsync(client, County, Year, new string('[', 5000) + new string(']', 5000), "application/json", HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "body");
        (problem, _) = await PutAsync(client, County, Year, "a: " + new string('[', 500) + new string(']', 500), "application/yaml", HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "body");
        await PutAsync(client, County, Year, "", "application/json", HttpStatusCode.BadRequest);
        await PutAsync(client, County, Year, new string(' ', SchemeReaderLimit + 1), "application/json", HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await VersionsAsync(client, County, Year));
    }

    private const int SchemeReaderLimit = PracticeMesh.Assessment.Schemes.SchemeReader.MaxBytes;

    [Fact]
    public async Task A_quoted_yaml_number_is_text_and_refused_where_a_number_belongs()
    {
        using var client = factory.CreateClient();
        const string Yaml = """
            year: 2031
            name: 方案
            indicators:
              - { code: sixHaves, tiers: [Station, Institute], weight: "100", target: 1, method: Linear }
            starBands: [ { stars: 5, minScore: 90, name: 五星级实践站 } ]
            honours:
              volunteers: { minHours: 40, minActivities: 6, minAverageRating: ~ }
              teams: { minActivities: 12, minParticipation: 0.7, minAverageRating: 4.0 }
            """;
        var (problem, _) = await PutAsync(client, County, Year, Yaml, "application/yaml", HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "indicators[0].weight");
        // The same document with the number unquoted is a whole scheme, stored for another year.
        var (stored, _) = await PutAsync(client, County, 2036, Yaml.Replace("\"100\"", "100").Replace("2031", "2036"), "application/yaml", HttpStatusCode.Created);
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
        Assert.Empty(await VersionsAsync(client, County, Year));
    }

    [Fact]
    public async Task A_yaml_alias_bomb_is_refused()
    {
        using var client = factory.CreateClient();
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join("", Enumerable.Range(0, 6).Select(i =>
            $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i)}", 10))}]\n"));
        var (problem, _) = await PutAsync(client, County, Year, yaml, "application/yaml", HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "body");
    }

    [Fact]
    public async Task Several_broken_rules_are_named_at_once()
    {
        using var client = factory.CreateClient();
        var document = await DefaultDocumentAsync(client, Year);
        Indicator(document, 3)["target"] = 70;
        Star(document, 0)["stars"] = 6;
        Deduction(document, 0)["points"] = -5;
        var (problem, _) = await PutJsonAsync(client, County, Year, document, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "indicators[3].target");
        HttpAssertions.AssertNamesInvalid(problem, "starBands[0].stars");
        HttpAssertions.AssertNamesInvalid(problem, "deductions[0].points");
    }

    [Fact]
    public async Task A_scheme_in_another_format_or_for_a_bad_county_or_year_is_refused()
    {
        using var client = factory.CreateClient();
        var document = (await DefaultDocumentAsync(client, Year)).ToJsonString();
        await PutAsync(client, County, Year, document, "text/plain", HttpStatusCode.UnsupportedMediaType);
        using (var content = new StringContent(document, System.Text.Encoding.UTF8, "application/json"))
        {
            using var response = await client.PutAsync($"{Root}/schemes/321324104/{Year}", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Root}/schemes/32132/{Year}", HttpStatusCode.BadRequest), "county");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Root}/schemes/{County}/twenty", HttpStatusCode.BadRequest), "year");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Root}/schemes/{County}/1999", HttpStatusCode.BadRequest), "year");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Root}/schemes/{County}/{Year}/versions/-1", HttpStatusCode.BadRequest), "version");
        Assert.Empty(await VersionsAsync(client, County, Year));
    }

    private static JsonObject Indicator(JsonObject document, int index) => document["indicators"]![index]!.AsObject();

    private static JsonObject Band(JsonObject document, int index) => Indicator(document, 9)["bands"]![index]!.AsObject();

    private static JsonObject Deduction(JsonObject document, int index) => document["deductions"]![index]!.AsObject();

    private static JsonObject Star(JsonObject document, int index) => document["starBands"]![index]!.AsObject();

    private static void Capped(JsonObject document, decimal? pointsPerUnit, decimal cap)
    {
        var careVisits = Indicator(document, 11);
        careVisits["method"] = "Capped";
        careVisits["pointsPerUnit"] = pointsPerUnit;
        careVisits["cap"] = cap;
    }
}
