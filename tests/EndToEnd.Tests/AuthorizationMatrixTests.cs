using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// Roles × API scopes × endpoints, with real tokens through the gateway of the distributed mode: every read or write
/// across townships is refused (404 for records that exist elsewhere, 403 for creating elsewhere or without the
/// scope), every one in scope is allowed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class AuthorizationMatrixTests(DistributedPlatform platform)
{
    private const string TownshipA = "321324104";
    private const string TownshipB = "321324105";
    private const string VillageA = "321324104201";
    private const string VillageB = "321324105201";
    private static readonly string[] PartnerScopes = [ApiScopes.StationsRead, ApiScopes.ActivitiesRead, ApiScopes.AssessmentRead, ApiScopes.GridReport];

    private sealed record Caller(string Name, string Role, string Division, IReadOnlyList<string> Scopes, HttpClient Client);

    private sealed record Target(string Village, Guid Volunteer, Guid Activity, string Grid);

    /// <summary>One endpoint: its scope, the division code of the record it touches, whether it creates, and the call.</summary>
    private sealed record Endpoint(string Name, string Scope, bool Creates, Func<Target, int, (string Code, HttpRequestMessage Request)> Build);

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object body) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: HttpAssertions.Json) };

    private static readonly Endpoint[] Endpoints =
    [
        new("read station", ApiScopes.StationsRead, false, (t, _) => (t.Village, Get($"/api/v1/stations/{t.Village}"))),
        new("register station", ApiScopes.StationsWrite, true, (t, n) =>
        {
            var code = $"{t.Village[..9]}3{n:D2}";
            return (code, Post("/api/v1/stations", new { code, name = $"matrix {code}", kind = "Village" }));
        }),
        new("read volunteer", ApiScopes.VolunteersRead, false, (t, _) => (t.Village, Get($"/api/v1/volunteers/{t.Volunteer}"))),
        new("register volunteer", ApiScopes.VolunteersWrite, true, (t, n) =>
            (t.Village, Post("/api/v1/volunteers", TestIdCards.Registration($"矩阵{n}", t.Village)))),
        new("read activity", ApiScopes.ActivitiesRead, false, (t, _) => (t.Village, Get($"/api/v1/activities/{t.Activity}"))),
        new("create activity", ApiScopes.ActivitiesWrite, true, (t, n) =>
        {
            var startsAt = DateTimeOffset.UtcNow.AddDays(10 + n);
            return (t.Village, Post("/api/v1/activities", new
            {
                stationCode = t.Village, title = $"matrix {n}", category = "Culture", startsAt, endsAt = startsAt.AddHours(1), capacity = 5,
            }));
        }),
        new("read grid", ApiScopes.GridRead, false, (t, _) => (t.Village, Get($"/api/v1/grid/grids/{t.Grid}"))),
        new("draw grid", ApiScopes.GridWrite, true, (t, n) =>
            (t.Village, Post("/api/v1/grid/grids", new { villageCode = t.Village, serial = 10 + n, name = $"matrix grid {n}" }))),
        new("read assessment", ApiScopes.AssessmentRead, false, (t, _) =>
            (t.Village, Get($"/api/v1/assessment/stations/{t.Village}/months/{DateTimeOffset.UtcNow:yyyy-MM}"))),
    ];

    [Fact]
    public async Task Every_cross_township_call_is_refused_and_every_in_scope_call_allowed()
    {
        using var county = await platform.SignInAsync("county.admin");
        var targets = new[] { await PrepareAsync(county, VillageA), await PrepareAsync(county, VillageB) };
        var callers = await CallersAsync(county);

        var mismatches = new List<string>();
        var serial = 0;
        foreach (var caller in callers)
        {
            foreach (var endpoint in Endpoints)
            {
                foreach (var target in targets)
                {
                    var (code, request) = endpoint.Build(target, ++serial % 80);
                    using (request)
                    using (var response = await caller.Client.SendAsync(request))
                    {
                        var expected = !caller.Scopes.Contains(endpoint.Scope) ? HttpStatusCode.Forbidden
                            : !code.StartsWith(caller.Division, StringComparison.Ordinal) ? (endpoint.Creates ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound)
                            : endpoint.Creates ? HttpStatusCode.Created : HttpStatusCode.OK;
                        if (response.StatusCode != expected)
                        {
                            mismatches.Add($"{caller.Name} {endpoint.Name} in {target.Village}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                }
            }

            // Lists never show the rest of the county.
            if (caller.Scopes.Contains(ApiScopes.StationsRead))
            {
                var listed = await caller.Client.GetFromJsonAsync<JsonElement>("/api/v1/stations?under=321324");
                var outside = listed.EnumerateArray().Select(s => s.GetProperty("code").GetString()!).Where(c => !c.StartsWith(caller.Division)).ToList();
                if (outside.Count > 0)
                {
                    mismatches.Add($"{caller.Name} lists stations outside {caller.Division}: {string.Join(", ", outside)}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public async Task Forged_and_foreign_tokens_are_refused_at_the_gateway()
    {
        using var client = platform.CreateClient();
        foreach (var token in new[]
                 {
                     TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324"), // a key and issuer nobody here trusts
                     "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",                      // unsigned
                     "garbage",
                 })
        {
            client.WithToken(token);
            using var response = await client.GetAsync("/api/v1/stations/321324");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Yearly_plans_and_calendar_feeds_are_public_through_the_gateway()
    {
        using var county = await platform.SignInAsync("county.admin");
        await PrepareAsync(county, VillageA);
        using var anonymous = platform.CreateClient();

        using var feed = await anonymous.GetAsync($"/api/v1/activities/feeds/stations/{VillageA}.ics");
        using var plan = await anonymous.GetAsync($"/api/v1/activities/plans/{VillageA}/{DateTimeOffset.UtcNow.Year}");
        using var guarded = await anonymous.GetAsync($"/api/v1/activities?under={TownshipA}");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("BEGIN:VCALENDAR", await feed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guarded.StatusCode);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_creates_one_record()
    {
        using var county = await platform.SignInAsync("county.admin");
        await RegisterOnceAsync(county, new { code = "321324", name = "泗洪县新时代文明实践中心", kind = "CountyCentre" });
        await RegisterOnceAsync(county, new { code = "321324106", name = "idempotency", kind = "Institute" });
        var key = Guid.NewGuid().ToString();
        // The same body both times: an idempotent replay must repeat the request exactly.
        var idempotentBody = TestIdCards.Registration("幂等", "321324106201");

        async Task<(HttpStatusCode, string, bool)> PostOnceAsync()
        {
            using var request = Post("/api/v1/volunteers", idempotentBody);
            request.Headers.Add("Idempotency-Key", key);
            using var response = await county.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotency-Replayed"));
        }

        var first = await PostOnceAsync();
        var second = await PostOnceAsync();

        Assert.Equal(HttpStatusCode.Created, first.Item1);
        Assert.Equal(HttpStatusCode.Created, second.Item1);
        Assert.Equal(first.Item2, second.Item2);
        Assert.True(second.Item3);

        using var different = Post("/api/v1/volunteers", new { name = "另一个", homeStationCode = "321324106201" });
        different.Headers.Add("Idempotency-Key", key);
        using var refused = await county.SendAsync(different);
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
    }

    private async Task<Target> PrepareAsync(HttpClient county, string village)
    {
        await RegisterOnceAsync(county, new { code = "321324", name = "泗洪县新时代文明实践中心", kind = "CountyCentre" });
        await RegisterOnceAsync(county, new { code = village[..9], name = $"institute {village[..9]}", kind = "Institute" });
        await RegisterOnceAsync(county, new { code = village, name = $"station {village}", kind = "Village" });
        var volunteer = (await county.PostAsync("/api/v1/volunteers", TestIdCards.Registration("矩阵志愿者", village), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await county.PostAsync($"/api/v1/volunteers/{volunteer}/approve", null, HttpStatusCode.OK);
        var activity = await HttpAssertions.EventuallyAsync(async () =>
        {
            var startsAt = DateTimeOffset.UtcNow.AddDays(5);
            using var response = await county.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = village, title = "矩阵活动", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 10,
            }, HttpAssertions.Json);
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, $"the activities service to learn of {village}");
        // Another test of this run may have drawn the grid already; until the grid service hears of the village's
        // station it refuses the village (400).
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var drawn = await county.PostAsJsonAsync("/api/v1/grid/grids", new { villageCode = village, serial = 99, name = "矩阵网格" }, HttpAssertions.Json);
            Assert.True(drawn.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict or HttpStatusCode.BadRequest, await drawn.Content.ReadAsStringAsync());
            return drawn.StatusCode == HttpStatusCode.BadRequest ? null : "drawn";
        }, $"the grid service to learn of {village}");
        var grid = $"{village}-99";
        return new Target(village, volunteer, JsonDocument.Parse(activity).RootElement.GetProperty("id").GetGuid(), grid);
    }

    private async Task<List<Caller>> CallersAsync(HttpClient county)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var callers = new List<Caller>
        {
            new("county admin", PracticeMeshRoles.CountyAdmin, "321324", ApiScopes.ForRole(PracticeMeshRoles.CountyAdmin), county),
        };
        foreach (var (role, division) in new[]
                 {
                     (PracticeMeshRoles.TownshipAdmin, TownshipA), (PracticeMeshRoles.StationAdmin, VillageA),
                     (PracticeMeshRoles.TeamLeader, VillageA), (PracticeMeshRoles.Volunteer, VillageA),
                     (PracticeMeshRoles.GridWorker, VillageA), (PracticeMeshRoles.Resident, VillageA),
                 })
        {
            var userName = $"matrix.{role}.{run}";
            await county.PostAsync("/api/v1/identity/people", new
            {
                userName, displayName = $"矩阵 {role}", password = "Matrix-password-1", role, division,
            }, HttpStatusCode.Created);
            callers.Add(new(role, role, division, ApiScopes.ForRole(role), await platform.SignInAsync(userName, "Matrix-password-1")));
        }
        var registered = await county.PostAsync("/api/v1/identity/clients", new
        {
            clientId = $"matrix-partner-{run}", displayName = "矩阵 partner", scopes = PartnerScopes, division = TownshipA, rateLimitPerMinute = 10000,
        }, HttpStatusCode.Created);
        var partner = platform.CreateClient();
        partner.WithToken(await PlatformTokens.ClientCredentialsAsync(partner, $"matrix-partner-{run}",
            registered.GetProperty("secret").GetProperty("secret").GetString()!));
        callers.Add(new("partner", PracticeMeshRoles.Partner, TownshipA, PartnerScopes, partner));
        return callers;
    }

    private static async Task RegisterOnceAsync(HttpClient client, object station)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/stations", station, HttpAssertions.Json);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict,
            $"registering answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
