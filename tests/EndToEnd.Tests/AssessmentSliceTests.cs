using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// Assessment through the gateway: a completed activity moves the station's score and its explanation; the month is
/// published; a correction afterwards shows as a difference against the frozen result, which does not move.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class AssessmentSliceTests(DistributedPlatform platform)
{
    [Fact]
    public async Task A_completed_activity_moves_the_score_and_a_later_correction_shows_as_a_difference_against_the_published_month()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104205");
        await slice.RegisterStationsAndVolunteerAsync();
        // Three hours, or what fits since the China month began: a station is scored only in periods that end after its
        // registration, so in a month's first hours an activity held earlier would fall into the month before it.
        var held = HoursThatFitThisChinaMonth(3m);
        var activityId = await slice.HoldActivityAsync("文明实践志愿服务", hours: held);
        var period = slice.StartedMonth;
        var version = await StoreSchemeWithoutDeductionsAsync(client, int.Parse(period[..4], CultureInfo.InvariantCulture));
        var scorePath = $"/api/v1/assessment/stations/{slice.Village}/scores/{period}";

        // Before completion the station's service hours are nothing; the explanation says where each point came from.
        var before = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(scorePath);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, "assessment to know the station");
        var beforeHours = Indicator(JsonDocument.Parse(before).RootElement, "serviceHours");
        Assert.Equal(0m, beforeHours.GetProperty("value").GetDecimal());

        await slice.CompleteAsync(activityId);
        var after = JsonDocument.Parse(await HttpAssertions.EventuallyAsync(async () =>
        {
            var score = await client.GetAsync(scorePath, HttpStatusCode.OK);
            return Indicator(score, "serviceHours").GetProperty("value").GetDecimal() == held ? score.GetRawText() : null;
        }, $"the completed activity's {held} hours in the station's score")).RootElement;
        var hours = Indicator(after, "serviceHours");
        Assert.True(hours.GetProperty("points").GetDecimal() > beforeHours.GetProperty("points").GetDecimal());
        Assert.Contains(hours.GetProperty("facts").EnumerateArray(), f => f.GetProperty("value").GetDecimal() == held);
        Assert.False(string.IsNullOrWhiteSpace(hours.GetProperty("rule").GetString()));
        // The score names the county's scheme version that produced it.
        Assert.Equal(version, after.GetProperty("scheme").GetProperty("version").GetInt32());
        Assert.True(after.GetProperty("total").GetDecimal() > JsonDocument.Parse(before).RootElement.GetProperty("total").GetDecimal());
        var publishedTotal = after.GetProperty("total").GetDecimal();

        // The month has ended for assessment (its clock moved past the month's end): the county publishes it.
        var monthEnd = new DateTimeOffset(DateTime.ParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture), TimeSpan.FromHours(8)).AddMonths(1);
        platform.MoveClock("assessment", monthEnd - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5));
        try
        {
            await HttpAssertions.EventuallyAsync(async () =>
            {
                using var response = await client.PostAsJsonAsync($"/api/v1/assessment/periods/{period}/publish", new { county = Slice.County }, HttpAssertions.Json);
                return response.StatusCode == HttpStatusCode.Created ? "published" : null;
            }, "the month to be published once assessment's clock has passed its end");
            await client.PostAsync($"/api/v1/assessment/periods/{period}/publish", new { county = Slice.County }, HttpStatusCode.Conflict);

            // The volunteer left early: the published month does not move; the difference shows it.
            var stayed = Math.Max(0.25m, Math.Floor(held / 3m * 4m) / 4m);
            await slice.CorrectAsync(activityId, hours: stayed, reason: "提前离场");
            var resultPath = $"/api/v1/assessment/periods/{period}/results/Station/{slice.Village}";
            var last = "";
            string settled;
            try
            {
                settled = await HttpAssertions.EventuallyAsync(async () =>
                {
                    var r = await client.GetAsync(resultPath, HttpStatusCode.OK);
                    last = r.GetRawText();
                    return r.GetProperty("difference").GetProperty("total").GetDecimal() != 0m ? last : null;
                }, "the correction to show as a difference against the published month");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message} The last answer: {last}");
            }
            var result = JsonDocument.Parse(settled).RootElement;
            Assert.Equal(publishedTotal, result.GetProperty("published").GetProperty("total").GetDecimal());
            var hoursMoved = result.GetProperty("difference").GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "serviceHours");
            Assert.Equal(stayed - held, hoursMoved.GetProperty("value").GetDecimal());
            Assert.True(result.GetProperty("live").GetProperty("total").GetDecimal() < publishedTotal);
            Assert.Equal(result.GetProperty("live").GetProperty("total").GetDecimal() - publishedTotal, result.GetProperty("difference").GetProperty("total").GetDecimal());
        }
        finally
        {
            platform.MoveClock("assessment", TimeSpan.Zero);
        }
    }

    /// <summary>
    /// The county stores its own scheme for the year: the default without its deductions, so a new station's total
    /// (no six-haves check, no staff yet) is not floored at zero and every point the activity earns shows in it.
    /// </summary>
    private static async Task<int> StoreSchemeWithoutDeductionsAsync(HttpClient client, int year)
    {
        var scheme = JsonNode.Parse((await client.GetAsync("/api/v1/assessment/schemes/default", HttpStatusCode.OK)).GetRawText())!.AsObject();
        scheme["year"] = year;
        scheme["deductions"] = new JsonArray();
        RemoveNulls(scheme);
        using var content = new StringContent(scheme.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PutAsync($"/api/v1/assessment/schemes/{Slice.County}/{year}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"storing the scheme answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32();
    }

    private static void RemoveNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                obj.Remove(name);
            }
            foreach (var (_, value) in obj)
            {
                RemoveNulls(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                RemoveNulls(item);
            }
        }
    }

    private static JsonElement Indicator(JsonElement score, string code) =>
        score.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == code);

    /// <summary>
    /// <paramref name="wanted"/> hours, or fewer (whole quarter hours, at least one) when the China month began less than
    /// that (and ten minutes) ago, so the activity held before now starts in the month the station was registered in.
    /// </summary>
    private static decimal HoursThatFitThisChinaMonth(decimal wanted)
    {
        var china = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var monthBegan = new DateTimeOffset(china.Year, china.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var available = (decimal)(china - monthBegan - TimeSpan.FromMinutes(10)).TotalHours;
        return available >= wanted ? wanted : Math.Max(0.25m, Math.Floor(available * 4m) / 4m);
    }
}
