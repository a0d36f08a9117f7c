using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>
/// The work pages as staff use them: the station tree of a township, volunteers with their personal data masked and a
/// list saved as XLSX, the orders board, and assessment rankings with a score's explanation and publishing.
/// </summary>
public sealed class WorkPagesTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    private static string ThisMonth => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_township_admin_sees_only_their_townships_stations_opens_one_and_saves_the_volunteer_list_as_xlsx()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "township.admin", start: "/stations");

        var tree = page.GetByRole(AriaRole.Table, new() { Name = "阵地树" });
        await Assertions.Expect(tree.GetByRole(AriaRole.Link, new() { Name = "王集村新时代文明实践站" })).ToBeVisibleAsync();
        await Assertions.Expect(tree.GetByRole(AriaRole.Link, new() { Name = "大楼社区新时代文明实践站" })).ToBeVisibleAsync();
        // Another township's station is not theirs to see.
        await Assertions.Expect(tree.GetByText("双沟")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("泗洪县新时代文明实践中心")).ToHaveCountAsync(0);
        await Browser.AssertAccessibleAsync(page);

        await tree.GetByRole(AriaRole.Link, new() { Name = "王集村新时代文明实践站" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("王集村新时代文明实践站");
        await Assertions.Expect(page.GetByTestId("six-haves-heading")).ToContainTextAsync("六有清单");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "有场所" })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        await page.GotoAsync("/volunteers");
        var list = page.GetByRole(AriaRole.Table, new() { Name = "志愿者查询" });
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "王芳" })).ToBeVisibleAsync();
        await Assertions.Expect(list.GetByText("138****4501")).ToBeVisibleAsync();
        await Assertions.Expect(list.GetByText("13851234501")).ToHaveCountAsync(0);
        await Browser.AssertAccessibleAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "导出" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(saved);
        // An XLSX is a zip archive: "PK" first.
        var head = new byte[2];
        await using (var file = File.OpenRead(saved))
        {
            await file.ReadExactlyAsync(head);
        }
        File.Delete(saved);
        Assert.Equal("PK"u8.ToArray(), head);

        await list.GetByRole(AriaRole.Link, new() { Name = "王芳" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ledger-total")).ToContainTextAsync("累计 2 小时");
        await Assertions.Expect(page.GetByTestId("mobile")).ToHaveTextAsync("138****4501");
        await Browser.AssertAccessibleAsync(page);

        foreach (var path in new[] { "/volunteers/review", "/volunteers?behind=true", "/orders", "/orders/board?status=waiting" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("青阳镇");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
            await Browser.AssertAccessibleAsync(page);
        }
    }

    [Fact]
    public async Task A_township_admin_opens_a_stations_score_explanation_from_the_ranking()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "township.admin", start: $"/assessment?period={ThisMonth}");

        var ranking = page.GetByRole(AriaRole.Table, new() { Name = "考核排名" });
        await Assertions.Expect(ranking.GetByRole(AriaRole.Link, new() { Name = "王集村新时代文明实践站 的得分说明" })).ToBeVisibleAsync();
        await Assertions.Expect(ranking.GetByText("双沟村")).ToHaveCountAsync(0);
        await Browser.AssertAccessibleAsync(page);

        await ranking.GetByRole(AriaRole.Link, new() { Name = "王集村新时代文明实践站 的得分说明" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("得分说明");
        await Assertions.Expect(page.GetByTestId("score-sum")).ToContainTextAsync("指标得分");
        await Assertions.Expect(page.GetByTestId("indicator").First).ToContainTextAsync("规则");
        await Browser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_county_admin_publishes_last_month_and_publishing_again_is_refused_in_plain_words()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "county.admin", start: "/assessment");
        await Assertions.Expect(page.GetByTestId("publish-status")).ToContainTextAsync("尚未公布");
        await Browser.AssertAccessibleAsync(page);

        var publish = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^公布 .* 考核结果$") });
        await publish.ClickAsync();
        await Assertions.Expect(page.GetByTestId("publish-status")).ToContainTextAsync("泗洪县管理员", new() { Timeout = 60_000 });

        await publish.ClickAsync();
        await Assertions.Expect(page.GetByTestId("publish-refusal")).ToContainTextAsync("结果已冻结，不能再次公布", new() { Timeout = 60_000 });
        await Browser.AssertAccessibleAsync(page);
    }
}
