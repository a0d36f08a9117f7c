using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PracticeMesh.Identity.Data;

namespace PracticeMesh.Standalone;

public static class DemoCountyExtensions
{
    /// <summary>
    /// Loads a small demo county through the public API once the host is up, when <c>Demo:Load</c> is true; with
    /// <c>Demo:Stations</c> (e.g. 400) the county then grows to that many stations (<see cref="EnlargedDemoCounty"/>).
    /// </summary>
    public static void AddDemoCounty(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Demo:Load", false))
        {
            builder.Services.AddHttpClient<DemoCountyLoader>();
            builder.Services.AddHostedService(services => services.GetRequiredService<DemoCountyLoader>());
        }
    }
}

/// <summary>
/// A demo county (泗洪县 centre 321324, two institutes, three stations, volunteers, one completed activity),
/// written through the same public endpoints a partner would call so every event flows as in production.
/// Loading twice changes nothing: it stops when the county centre exists. It acts as the demo county admin, with a
/// token from the host's own token endpoint, as any client would.
/// </summary>
public sealed class DemoCountyLoader(HttpClient http, IServer server, IHostApplicationLifetime lifetime, TimeProvider time, IConfiguration configuration,
    ILogger<DemoCountyLoader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost");
        http.BaseAddress = new Uri(address);
        Console.WriteLine($"PracticeMesh (standalone) is running at {address}");
        PrintTokenHelp(address);
        Console.WriteLine($"  try: curl -H \"Authorization: Bearer $TOKEN\" {address}/api/v1/stations?under=321324");
        try
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CountyAdminTokenAsync(stoppingToken));
            if (await LoadAsync(stoppingToken))
            {
                Console.WriteLine($"  demo county loaded; assessment: curl -H \"Authorization: Bearer $TOKEN\" {address}/api/v1/assessment/months/{DemoMonth()}?under=321324");
            }
            if (configuration.GetValue(EnlargedDemoCounty.Setting, 0) is var stations and > 0)
            {
                // Thousands of calls in a row: a slow answer is waited for, never retried as the factory's clients do (a
                // retried POST would act twice, and the second answer 409s).
                using var plain = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
                plain.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
                await new EnlargedDemoCounty(plain, stations, time, logger).LoadAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Loading the demo county failed");
        }
    }

    /// <summary>How to get a token for each demo account: people by the password grant, the partner by client credentials.</summary>
    private static void PrintTokenHelp(string address)
    {
        Console.WriteLine($"  tokens (every demo person's password is {DemoAccounts.Password}); put the access_token in $TOKEN:");
        foreach (var (userName, _, role, division) in DemoAccounts.People)
        {
            Console.WriteLine($"    {role,-15} ({division,-12}) curl -s {address}/connect/token -d grant_type=password -d username={userName} -d password={DemoAccounts.Password}");
        }
        Console.WriteLine($"    {"partner",-15} ({"321324",-12}) curl -s {address}/connect/token -d grant_type=client_credentials -d client_id={DemoAccounts.PartnerClientId} -d client_secret={DemoAccounts.PartnerSecret}");
        Console.WriteLine($"    e.g. TOKEN=$(curl -s {address}/connect/token -d grant_type=password -d username={DemoAccounts.CountyAdmin} -d password={DemoAccounts.Password} | sed -E 's/.*\"access_token\": *\"([^\"]+)\".*/\\1/')");
    }

    /// <summary>The demo county admin's access token, by the password grant.</summary>
    private Task<string> CountyAdminTokenAsync(CancellationToken ct) => DemoApi.PasswordTokenAsync(http, DemoAccounts.CountyAdmin, DemoAccounts.Password, ct);

    private string DemoMonth() => time.GetUtcNow().AddHours(-3).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM");

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if ((await http.GetAsync("/api/v1/stations/321324", ct)).StatusCode == HttpStatusCode.OK)
        {
            return false;
        }
        await PostAsync("/api/v1/stations", new { code = "321324", name = "泗洪县新时代文明实践中心", kind = "CountyCentre" }, ct);
        await PostAsync("/api/v1/stations", new { code = "321324104", name = "青阳镇新时代文明实践所", kind = "Institute" }, ct);
        await PostAsync("/api/v1/stations", new { code = "321324105", name = "双沟镇新时代文明实践所", kind = "Institute" }, ct);
        await PostAsync("/api/v1/stations", new { code = "321324104201", name = "大楼社区新时代文明实践站", kind = "Community" }, ct);
        await PostAsync("/api/v1/stations", new { code = "321324104202", name = "王集村新时代文明实践站", kind = "Village" }, ct);
        await PostAsync("/api/v1/stations", new { code = "321324105201", name = "双沟村新时代文明实践站", kind = "Village" }, ct);
        // Grids with boundaries side by side (WGS 84, [longitude, latitude]), so locating a point and the map both work:
        // 王集村 in two level-2 grids, the first with two level-3 grids; 大楼社区 and 双沟村 in one each.
        await PostEventuallyAsync("/api/v1/grid/grids", new { villageCode = "321324104202", serial = 1, name = "王集村第一网格", households = 180, population = 620,
            boundary = DemoSquare(118.200, 33.450, 0.010) }, ct, HttpStatusCode.BadRequest);
        await PostAsync("/api/v1/grid/grids", new { villageCode = "321324104202", serial = 2, name = "王集村第二网格", households = 150, population = 530,
            boundary = DemoSquare(118.210, 33.450, 0.010) }, ct);
        await PostAsync("/api/v1/grid/grids", new { villageCode = "321324104202", parentCode = "321324104202-01", serial = 1, name = "王集村第一网格一组",
            households = 90, population = 300, boundary = DemoSquare(118.200, 33.450, 0.005) }, ct);
        await PostAsync("/api/v1/grid/grids", new { villageCode = "321324104202", parentCode = "321324104202-01", serial = 2, name = "王集村第一网格二组",
            households = 90, population = 320, boundary = DemoSquare(118.205, 33.450, 0.005) }, ct);
        await PostEventuallyAsync("/api/v1/grid/grids", new { villageCode = "321324104201", serial = 1, name = "大楼社区第一网格", households = 420, population = 1260,
            boundary = DemoSquare(118.220, 33.450, 0.010) }, ct, HttpStatusCode.BadRequest);
        await PostEventuallyAsync("/api/v1/grid/grids", new { villageCode = "321324105201", serial = 1, name = "双沟村第一网格", households = 260, population = 880,
            boundary = DemoSquare(118.400, 33.300, 0.015) }, ct, HttpStatusCode.BadRequest);

        var volunteers = new List<Guid>();
        // Made-up ID numbers with valid GB 11643 check characters; the demo loads once, so they never collide. The first
        // is the demo volunteer login's own record: identity links the login to her once it hears of her approval.
        foreach (var (name, idCardNumber, mobile) in new[]
        {
            (DemoAccounts.VolunteerName, "321324198506120026", "13851234501"), ("刘洋", "321324199203040138", "13951234502"), ("陈静", "321324197809150244", "15851234503"),
        })
        {
            var volunteer = await PostAsync("/api/v1/volunteers", new
            {
                name, idCardNumber, mobile, politicalStatus = "PartyMember", categories = new[] { "Cadre" }, homeStationCode = "321324104202",
            }, ct);
            var id = volunteer.GetProperty("id").GetGuid();
            await PostAsync($"/api/v1/volunteers/{id}/approve", new { }, ct);
            volunteers.Add(id);
        }

        // A policy lecture under way since three hours ago; the volunteers' two hours there are recorded by hand
        // (check-ins uploaded afterwards keep their own time), and the organiser completes it.
        var now = time.GetUtcNow();
        var startsAt = now.AddHours(-3);
        var endsAt = now.AddMinutes(30);
        var activity = await PostEventuallyAsync("/api/v1/activities", new
        {
            stationCode = "321324104202", title = "党的二十届四中全会精神宣讲", category = "Policy",
            startsAt, endsAt, capacity = 30,
        }, ct);
        var activityId = activity.GetProperty("id").GetGuid();
        await PostAsync($"/api/v1/activities/{activityId}/publish", new { }, ct);
        foreach (var volunteerId in volunteers)
        {
            await PostEventuallyAsync($"/api/v1/activities/{activityId}/sign-ups", new { volunteerId }, ct);
            await PostAsync($"/api/v1/activities/{activityId}/check-ins", new { volunteerId, at = startsAt, reason = "补录签到" }, ct);
            await PostAsync($"/api/v1/activities/{activityId}/check-outs", new { volunteerId, at = startsAt.AddHours(2), reason = "补录签退" }, ct);
        }
        await PostAsync($"/api/v1/activities/{activityId}/complete", new { }, ct);
        return true;
    }

    private Task<System.Text.Json.JsonElement> PostAsync(string path, object body, CancellationToken ct) => DemoApi.PostAsync(http, path, body, ct);

    private static object DemoSquare(double lon, double lat, double size) => DemoApi.Square(lon, lat, size);

    private Task<System.Text.Json.JsonElement> PostEventuallyAsync(string path, object body, CancellationToken ct, HttpStatusCode notYet = HttpStatusCode.NotFound) =>
        DemoApi.PostEventuallyAsync(http, path, body, ct, notYet);
}
