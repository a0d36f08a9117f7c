using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>A station head's activities: create, publish and complete one, and the month's count moves; each page passes the accessibility scan.</summary>
public sealed class ActivitiesTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task A_station_head_creates_publishes_and_completes_an_activity_and_sees_the_months_count_change()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "station.admin", start: "/activities");
        var count = page.GetByTestId("month-count");
        await Assertions.Expect(count).ToContainTextAsync("本月已开展");
        var heldBefore = Held(await count.InnerTextAsync());
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "新建活动" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("新建活动");
        await Browser.AssertAccessibleAsync(page);
        // Completion is allowed once an activity has started, so this one starts this minute (China time): published
        // now it is a late announcement, held but not counted, and the month's held count is what moves.
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, China);
        await page.GetByLabel("活动名称").FillAsync("便民理发进社区");
        await page.GetByLabel("开始时间").FillAsync(start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("结束时间").FillAsync(start.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();

        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/activities/[0-9a-f-]{36}$"));
        var status = page.GetByTestId("activity-status");
        await Assertions.Expect(status).ToHaveTextAsync("草稿");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "发布预告" }).ClickAsync();
        // Started already: published, it is under way.
        await Assertions.Expect(status).ToHaveTextAsync("进行中");

        await page.GetByLabel("到场群众人数").FillAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "结项" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("已结项");

        await page.GetByRole(AriaRole.Link, new() { Name = "← 返回活动列表" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("month-count")).ToContainTextAsync($"本月已开展 {heldBefore + 1} 次");
        await Assertions.Expect(page.GetByTestId("activity-list")).ToContainTextAsync("便民理发进社区");
    }

    [Fact]
    public async Task The_check_in_screen_shows_a_large_qr_code_for_an_activity_under_way_and_passes_the_accessibility_scan()
    {
        // Arranged through the API: an activity at the station head's station, under way now (a code is issued only then).
        using var api = await host.ApiAsync("station.admin");
        var now = DateTimeOffset.UtcNow;
        var created = await api.PostAsJsonAsync("/api/v1/activities", new
        {
            stationCode = "321324104201", title = "垃圾分类宣传", category = "CivilityGuidance", startsAt = now.AddMinutes(-5), endsAt = now.AddHours(1), capacity = 10,
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        (await api.PostAsJsonAsync($"/api/v1/activities/{id}/publish", new { })).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "station.admin", start: $"/activities/{id}/checkin-screen");
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "“垃圾分类宣传”签到二维码" });
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.StartsWith("data:image/svg+xml;base64,", await qr.GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.True((await qr.BoundingBoxAsync())!.Width >= 400, "The code fills the screen.");
        await Assertions.Expect(page.GetByTestId("activity-time-left")).ToContainTextAsync("距活动结束");
        await Browser.AssertAccessibleAsync(page);
    }

    private static int Held(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"本月已开展 (\d+) 次");
        Assert.True(match.Success, text);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
