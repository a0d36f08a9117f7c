using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>The standalone host behaves as the distributed platform does where partners notice: keys and hours.</summary>
public class StandaloneParityTests(StandalonePlatform platform) : IClassFixture<StandalonePlatform>
{
    [Fact]
    public async Task A_repeated_idempotency_key_creates_one_activity_and_answers_the_same()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104211");
        await slice.RegisterStationsAndVolunteerAsync();
        var startsAt = DateTimeOffset.UtcNow.AddDays(10);
        // Without a key until activities has heard of the station (a keyed 404 would be replayed).
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = slice.Village, title = "先到的活动", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 20,
            });
            return response.StatusCode == HttpStatusCode.Created ? "known" : null;
        }, "the activities module to learn of the station");
        var key = Guid.NewGuid().ToString();
        var body = new { stationCode = slice.Village, title = "幂等活动", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 20 };

        var (firstStatus, firstBody, firstReplayed) = await PostAsync(client, key, body);
        var (secondStatus, secondBody, secondReplayed) = await PostAsync(client, key, body);
        var (otherStatus, _, _) = await PostAsync(client, key, body with { title = "另一个活动" });

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.False(firstReplayed);
        Assert.Equal(HttpStatusCode.Created, secondStatus);
        Assert.True(secondReplayed);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal((HttpStatusCode)422, otherStatus);
        var listed = await client.GetAsync($"/api/v1/activities?under={slice.Village}&from={Uri.EscapeDataString(startsAt.AddHours(-1).ToString("O"))}" +
            $"&to={Uri.EscapeDataString(startsAt.AddHours(1).ToString("O"))}", HttpStatusCode.OK);
        Assert.Single(listed.EnumerateArray(), a => a.GetProperty("title").GetString() == "幂等活动");
        Assert.DoesNotContain(listed.EnumerateArray(), a => a.GetProperty("title").GetString() == "另一个活动");
    }

    private static async Task<(HttpStatusCode Status, string Body, bool Replayed)> PostAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/activities") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotency-Replayed"));
    }

    /// <summary>
    /// Presences of minutes and seconds (59.5 and 20.3 minutes among them), each a correction of the activity: the
    /// activity's credit, the ledger (its credit and corrections, summed) and the station's month hold the same hours.
    /// </summary>
    [Fact]
    public async Task Credited_hours_agree_in_the_activity_the_ledger_and_the_month()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104212");
        await slice.RegisterStationsAndVolunteerAsync();
        var first = await slice.HoldActivityAsync("学雷锋志愿服务", hours: 2.5m);
        var firstStart = slice.StartedAt;
        await slice.CompleteAsync(first);
        // Corrections follow the completion's credit (one taking time back from a credit not yet made is skipped).
        await slice.WaitForTotalHoursAsync(2.5m);

        // (presence, the hours it is credited): the one rule, a hundredth of an hour to the nearest, half away from zero.
        (TimeSpan Presence, decimal Hours)[] presences =
        [
            (TimeSpan.FromMinutes(59.5), 0.99m),
            (TimeSpan.FromMinutes(20.3), 0.34m),
            (new TimeSpan(0, 37, 13), 0.62m),
            (new TimeSpan(1, 0, 17), 1.00m),
            (new TimeSpan(0, 0, 18), 0.01m),
            (new TimeSpan(2, 14, 59), 2.25m),
            (new TimeSpan(0, 10, 47), 0.18m),
        ];
        foreach (var (presence, hours) in presences)
        {
            await CorrectAsync(client, first, slice.VolunteerId, firstStart, presence);

            var credited = await CreditedHoursAsync(client, first);
            Assert.Equal(hours, credited);
            var total = credited;
            var ledger = await slice.WaitForTotalHoursAsync(total);
            var entries = ledger.GetProperty("entries").EnumerateArray().ToList();
            Assert.Equal(total, entries.Sum(e => e.GetProperty("hours").GetDecimal()));
            var creditOfFirst = entries.Single(e => e.TryGetProperty("activityId", out var a) && a.ValueKind == JsonValueKind.String && a.GetGuid() == first);
            var netOfFirst = creditOfFirst.GetProperty("hours").GetDecimal() + entries
                .Where(e => e.TryGetProperty("correctsEntryId", out var c) && c.ValueKind == JsonValueKind.String && c.GetGuid() == creditOfFirst.GetProperty("id").GetGuid())
                .Sum(e => e.GetProperty("hours").GetDecimal());
            Assert.Equal(credited, netOfFirst);
            var month = await slice.WaitForAssessmentHoursAsync(total);
            Assert.Equal(1, month.GetProperty("completedActivities").GetInt32());
        }
    }

    private static Task CorrectAsync(HttpClient client, Guid activityId, Guid volunteerId, DateTimeOffset from, TimeSpan presence) =>
        client.PostAsync($"/api/v1/activities/{activityId}/corrections", new
        {
            reason = "签到记录更正 " + presence.ToString("c", CultureInfo.InvariantCulture),
            corrections = new[] { new { volunteerId, checkedInAt = from, checkedOutAt = from + presence } },
        }, HttpStatusCode.OK);

    private static async Task<decimal> CreditedHoursAsync(HttpClient client, Guid activityId) =>
        (await client.GetAsync($"/api/v1/activities/{activityId}", HttpStatusCode.OK))
            .GetProperty("signUps")[0].GetProperty("creditedHours").GetDecimal();

    /// <summary>
    /// The one document of every module: schema names unique (a service's types carry its name), required fields
    /// required, and every operation taking JSON documents an example body that the endpoint accepts.
    /// </summary>
    [Fact]
    public async Task Every_documented_request_example_is_accepted()
    {
        using var client = await platform.SignInAsync("county.admin");
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.Equal("#/components/schemas/ActivitiesCorrectionRequest",
            document["paths"]!["/api/v1/activities/{id}/corrections"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Contains("entryId", schemas["VolunteersCorrectionRequest"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("corrections", schemas["ActivitiesCorrectionRequest"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("politicalStatus", schemas["VolunteersRegisterVolunteerRequest"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));

        // The examples name the demo county's centre and institute as parents, and the grid examples a village the grid
        // service hears of from the stations registry: they exist here whatever ran before.
        foreach (var site in new object[] { new { code = "321324", name = "泗洪县新时代文明实践中心", kind = "CountyCentre" }, new { code = "321324104", name = "青阳镇新时代文明实践所", kind = "Institute" },
            new { code = "321324104203", name = "新庄村新时代文明实践站", kind = "Village" } })
        {
            using var registered = await client.PostAsJsonAsync("/api/v1/stations", site);
            Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"registering a parent answered {(int)registered.StatusCode}");
        }

        var tried = new List<string>();
        var failures = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "post" or "put" or "patch"))
            {
                if (operation!["requestBody"]?["content"]?["application/json"] is not JsonObject json)
                {
                    continue;
                }
                var name = $"{method.ToUpperInvariant()} {path}";
                if (json["example"] is not { } example)
                {
                    failures.Add($"{name}: no example");
                    continue;
                }
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Fill(path, operation))
                {
                    Content = new StringContent(example.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                };
                using var response = await client.SendAsync(request);
                tried.Add(name);
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or >= HttpStatusCode.InternalServerError)
                {
                    failures.Add($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(tried.Count >= 35, $"only {tried.Count} operations take JSON");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The path with its parameters filled: a new id for each id (a 404 is an answer), a station code else.</summary>
    private static string Fill(string path, JsonNode operation)
    {
        foreach (var parameter in operation["parameters"]?.AsArray().OfType<JsonObject>().Where(p => p["in"]?.GetValue<string>() == "path") ?? [])
        {
            var name = parameter["name"]!.GetValue<string>();
            var schema = parameter["schema"];
            var value = schema?["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString()
                : schema?["enum"] is JsonArray values ? values[0]!.ToString()
                : name == "item" ? "Site"
                : name == "clientId" ? "demo-partner"
                : name == "county" ? "321324"
                : name == "year" ? "2027"
                : name == "period" ? "2026-01"
                : "321324104201";
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        return path;
    }
}
