using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// <c>GET requests</c>: ids, service codes, status and dates; the last 90 days by default, at most 90 days, at most
/// 1,000 answers. A host of its own, as these tests move its clock.
/// </summary>
public sealed class Open311SearchTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task Requests_are_found_by_ids_code_status_and_window_in_json_and_xml()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        // A day of its own, far from the other tests' cases: 10:00 and 11:00 China time.
        var day = MoveToNewDay();
        var road = await PostAsync(client, key, "road-damage");
        factory.Clock.Advance(TimeSpan.FromHours(1));
        var litter = await PostAsync(client, key, "sanitation");
        var window = $"start_date={day:yyyy-MM-dd}T00:00:00%2B08:00&end_date={day:yyyy-MM-dd}T23:59:59%2B08:00";

        var byIds = await NumbersAsync(client, $"requests.json?service_request_id={road},{litter}&service_code=other");
        var byCode = await NumbersAsync(client, $"requests.json?{window}&service_code=sanitation");
        var open = await NumbersAsync(client, $"requests.json?{window}&status=open");
        var closed = await NumbersAsync(client, $"requests.json?{window}&status=closed");
        var both = await NumbersAsync(client, $"requests.json?{window}&status=open,closed");
        var xml = await GetXmlAsync(client, $"{Base}/requests.xml?{window}", "service_requests");

        Assert.Equal([litter, road], byIds);
        Assert.Equal([litter], byCode);
        Assert.Equal([litter, road], open);
        Assert.Empty(closed);
        Assert.Equal([litter, road], both);
        Assert.Equal([litter, road], xml.Elements("request").Select(r => r.Element("service_request_id")!.Value));
    }

    [Fact]
    public async Task Without_dates_the_last_90_days_are_searched()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var first = MoveToNewDay();
        var old = await PostAsync(client, key, "public-facility");
        factory.Clock.Advance(TimeSpan.FromDays(89));
        var recent = await PostAsync(client, key, "public-facility");

        var within = await NumbersAsync(client, "requests.json?service_code=public-facility");
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var later = await NumbersAsync(client, "requests.json?service_code=public-facility");
        // A start date alone searches the 90 days from it.
        var fromStart = await NumbersAsync(client, $"requests.json?service_code=public-facility&start_date={first.AddDays(-1):yyyy-MM-dd}");

        Assert.Equal([recent, old], within);
        Assert.Equal([recent], later);
        Assert.Equal([old], fromStart);
    }

    [Theory]
    [InlineData("start_date=2026-01-01&end_date=2026-04-02", "90 days")]
    [InlineData("start_date=2026-03-02&end_date=2026-03-01", "start_date")]
    [InlineData("start_date=yesterday", "start_date")]
    [InlineData("end_date=2026-03-01T09:00:00", "end_date")]
    [InlineData("start_date=0001-01-01", "start_date")]
    [InlineData("status=pending", "status")]
    public async Task A_bad_search_is_400_in_the_spec_format(string query, string mentions)
    {
        using var client = factory.CreateAnonymousClient();

        AssertJsonErrors(await GetTextAsync(client, $"{Base}/requests.json?{query}"), HttpStatusCode.BadRequest, mentions);
        AssertXmlErrors(await GetTextAsync(client, $"{Base}/requests.xml?{query}"), HttpStatusCode.BadRequest, mentions);
    }

    [Fact]
    public async Task A_date_with_its_plus_sign_unencoded_is_still_read_as_china_time()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var day = MoveToNewDay();
        var number = await PostAsync(client, key, "dispute");

        // 10:00 China time is 02:00 UTC; "+08:00" sent raw arrives as " 08:00".
        var found = await NumbersAsync(client, $"requests.json?service_code=dispute&start_date={day:yyyy-MM-dd}T09:30:00+08:00&end_date={day:yyyy-MM-dd}T10:30:00+08:00");
        var missed = await NumbersAsync(client, $"requests.json?service_code=dispute&start_date={day:yyyy-MM-dd}T09:30:00Z&end_date={day:yyyy-MM-dd}T10:30:00Z");

        Assert.Equal([number], found);
        Assert.Empty(missed);
    }

    [Fact]
    public async Task A_search_answers_at_most_1000_requests_newest_first()
    {
        var start = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            var reporter = new CaseReporter(CaseSource.Partner, null, "bulk", "partner", "bulk-partner");
            for (var i = 0; i < 1001; i++)
            {
                var at = start.AddMinutes(i);
                var (reported, _) = GridCase.Report($"BULK-{i:D4}", DivisionCode.Parse("321324104203"), null, false, "help-request", "帮扶",
                    null, null, null, null, reporter, at, at.AddDays(1));
                db.Cases.Add(reported);
            }
            await db.SaveChangesAsync();
        }
        using var client = factory.CreateAnonymousClient();

        var found = await NumbersAsync(client, "requests.json?service_code=help-request&start_date=2026-09-01T00:00:00Z&end_date=2026-09-02T00:00:00Z");

        Assert.Equal(1000, found.Count);
        Assert.Equal("BULK-1000", found[0]);
        Assert.Equal("BULK-0001", found[^1]);
    }

    /// <summary>
    /// Moves the clock on to 10:00 China time of a day 120 days ahead, past every case of the other tests (the clock only
    /// moves forward), and returns that day.
    /// </summary>
    private DateOnly MoveToNewDay()
    {
        var day = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime).AddDays(120);
        factory.Clock.SetUtcNow(new DateTimeOffset(day, new TimeOnly(2, 0), TimeSpan.Zero));
        return day;
    }

    private static async Task<string> PostAsync(HttpClient client, string key, string serviceCode)
    {
        var answer = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("service_code", serviceCode)));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return JsonDocument.Parse(answer.Body).RootElement[0].GetProperty("service_request_id").GetString()!;
    }

    private static async Task<List<string>> NumbersAsync(HttpClient client, string query) =>
        [.. (await GetJsonAsync(client, $"{Base}/{query}")).EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!)];
}
