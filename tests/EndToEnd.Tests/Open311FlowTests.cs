using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// An Open311 partner's whole visit, from the discovery document to seeing its request closed, while the county works
/// the case through the grid service's own API: against the standalone host and through the gateway.
/// </summary>
public abstract class Open311FlowTests
{
    private const string Village = "321324104202";

    private const string WorkerPassword = "Open311-worker-1";

    protected abstract HttpClient CreateClient();

    protected abstract Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword);

    [Fact]
    public async Task A_partner_discovers_posts_follows_by_token_and_sees_its_request_closed()
    {
        using var admin = await SignInAsync("county.admin");
        // A worker of this test's own, created now: whatever the demo seeding announced before the grid service's
        // queues existed is not something a test can count on.
        var workerName = $"worker.{Guid.NewGuid():N}"[..20];
        await admin.PostAsync("/api/v1/identity/people",
            new { userName = workerName, displayName = "王集村网格员", password = WorkerPassword, role = "grid_worker", division = Village }, HttpStatusCode.Created);
        using var worker = await SignInAsync(workerName, WorkerPassword);
        var workerId = new JsonWebToken(worker.DefaultRequestHeaders.Authorization!.Parameter).Subject;
        var created = await admin.PostAsync("/api/v1/grid/open311/keys", new { clientId = "demo-partner", name = "12345 便民热线", division = "321324" }, HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        using var partner = CreateClient();

        // Discover the endpoint and list its services.
        var discovery = await ReadJsonAsync(partner, "/open311/v2/discovery.json");
        var endpoint = discovery.GetProperty("endpoints")[0].GetProperty("url").GetString()!;
        Assert.EndsWith("/open311/v2", endpoint);
        var services = await ReadJsonAsync(partner, "/open311/v2/services.json");
        Assert.Contains(services.EnumerateArray(), s => s.GetProperty("service_code").GetString() == "public-facility");

        // Post a request with the key, and follow it by its token.
        using var posted = await partner.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "public-facility",
            ["address_id"] = Village,
            ["address_string"] = "王集村文化广场",
            ["description"] = "广场健身器材损坏",
        }));
        var postedBody = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.OK, postedBody);
        var token = JsonDocument.Parse(postedBody).RootElement[0].GetProperty("token").GetString()!;
        var number = (await ReadJsonAsync(partner, $"/open311/v2/tokens/{token}.json"))[0].GetProperty("service_request_id").GetString()!;
        Assert.Equal("open", (await ReadJsonAsync(partner, $"/open311/v2/requests/{number}.json"))[0].GetProperty("status").GetString());

        // The county works the case: accepted, dispatched to the worker of a grid of its village, handled by them,
        // verified and closed.
        var gridCode = await PrepareGridWithWorkerAsync(admin, workerId);
        var caseId = await CaseIdAsync(admin, number);
        await admin.PostAsync($"/api/v1/grid/cases/{caseId}/accept", new { remark = "立案" }, HttpStatusCode.OK);
        await admin.PostAsync($"/api/v1/grid/cases/{caseId}/dispatch", new { handlerId = workerId, remark = $"派遣至 {gridCode}" }, HttpStatusCode.OK);
        await worker.PostAsync($"/api/v1/grid/cases/{caseId}/handle", new { remark = "已更换损坏器材", media = Array.Empty<string>() }, HttpStatusCode.OK);
        await admin.PostAsync($"/api/v1/grid/cases/{caseId}/verify", new { remark = "现场核查通过" }, HttpStatusCode.OK);
        await admin.PostAsync($"/api/v1/grid/cases/{caseId}/close", new { remark = "结案" }, HttpStatusCode.OK);

        // The partner sees it closed, by its number and among the closed requests.
        var closed = (await ReadJsonAsync(partner, $"/open311/v2/requests/{number}.json"))[0];
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("expected_datetime").ValueKind);
        var closedList = await ReadJsonAsync(partner, "/open311/v2/requests.json?status=closed&service_code=public-facility");
        Assert.Contains(closedList.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == number);
        var xml = await partner.GetStringAsync($"/open311/v2/requests/{number}.xml");
        Assert.Contains("<status>closed</status>", xml);
    }

    /// <summary>
    /// The village's station, a grid in it once the grid service has heard of the station, and the test's grid worker
    /// (who lives there) assigned to it once the grid service has heard of the person.
    /// </summary>
    private static async Task<string> PrepareGridWithWorkerAsync(HttpClient admin, string workerId)
    {
        foreach (var station in new object[]
        {
            new { code = Slice.County, name = "泗洪县新时代文明实践中心", kind = "CountyCentre" },
            new { code = Slice.Township, name = "青阳镇新时代文明实践所", kind = "Institute" },
            new { code = Village, name = "王集村新时代文明实践站", kind = "Village" },
        })
        {
            using var registered = await admin.PostAsJsonAsync("/api/v1/stations", station, HttpAssertions.Json);
            Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await registered.Content.ReadAsStringAsync());
        }
        const string GridCode = Village + "-31";
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/grid/grids", new { villageCode = Village, serial = 31, name = "文化广场网格", households = 120, population = 380 });
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict ? "grid" : null;
        }, "the grid service to learn of the village");
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync($"/api/v1/grid/grids/{GridCode}/assignments", new { personId = workerId, duty = "Worker", from = today });
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict ? "assigned" : null;
        }, "the grid service to learn of the grid worker");
        return GridCode;
    }

    /// <summary>The case's id, from the staff's list of the village's open cases (Open311 knows it by its number).</summary>
    private static async Task<Guid> CaseIdAsync(HttpClient admin, string number)
    {
        var list = await admin.GetAsync($"/api/v1/grid/cases?under={Village}&open=true&pageSize=100", HttpStatusCode.OK);
        return FindCase(list, number) ?? throw new Xunit.Sdk.XunitException($"Case {number} is not in the open cases: {list}");
    }

    private static Guid? FindCase(JsonElement element, string number)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.TryGetProperty("number", out var found) && found.GetString() == number:
                return element.GetProperty("id").GetGuid();
            case JsonValueKind.Object:
                return element.EnumerateObject().Select(p => FindCase(p.Value, number)).FirstOrDefault(id => id is not null);
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(e => FindCase(e, number)).FirstOrDefault(id => id is not null);
            default:
                return null;
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>The flow against the standalone host: one process, SQLite, the in-memory bus.</summary>
public sealed class StandaloneOpen311FlowTests(StandalonePlatform platform) : Open311FlowTests, IClassFixture<StandalonePlatform>
{
    protected override HttpClient CreateClient() => platform.CreateClient();

    protected override Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword) =>
        platform.SignInAsync(userName, password);
}

/// <summary>The flow through the gateway, every service in its own process on the real servers.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DistributedOpen311FlowTests(DistributedPlatform platform) : Open311FlowTests
{
    protected override HttpClient CreateClient() => platform.CreateClient();

    protected override Task<HttpClient> SignInAsync(string userName, string password = PlatformTokens.DemoPassword) =>
        platform.SignInAsync(userName, password);
}
