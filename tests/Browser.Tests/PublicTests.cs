using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>The public pages: the yearly plan and its calendar feed, the menu, reporting a grid problem and following it by its code.</summary>
public sealed partial class PublicTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_resident_reports_a_grid_problem_and_follows_it()
    {
        var page = await browser.NewPageAsync(host.Address, Browser.Phone);
        await page.GotoAsync("/public/report");
        // Not signed in: the page asks the resident to sign in, and brings them back.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("我要上报");
        await Browser.AssertAccessibleAsync(page);
        // The page's own link (the layout offers the same one).
        await page.GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true }).Last.ClickAsync();
        await page.GetByLabel("用户名").FillAsync("resident");
        await page.GetByLabel("密码").FillAsync(PracticeMesh.TestSupport.PlatformTokens.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/public/report", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-testid=signed-in-person]') !== null");
        await Browser.WaitUntilInteractiveAsync(page);

        var description = $"村口路灯不亮 {Guid.NewGuid():N}"[..18];
        await ChooseAsync(page, "问题类别", "公共设施损坏");
        await page.GetByLabel("问题描述").FillAsync(description);
        await page.GetByLabel("具体位置（如：三组路口）").FillAsync("王集村村口");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交上报" }).ClickAsync();

        var token = page.GetByTestId("follow-token");
        await Assertions.Expect(token).ToHaveTextAsync(GuidPattern());
        var code = await token.InnerTextAsync();
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "查看处理进度" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/public/follow/{code}", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("follow-status")).ToContainTextAsync("正在处理：已收到上报，等待核实立案");
        await Assertions.Expect(page.GetByTestId("follow-description")).ToHaveTextAsync(description);
        await Assertions.Expect(page.GetByTestId("follow-history")).ToContainTextAsync("已收到上报，等待核实立案");
        await Assertions.Expect(page.GetByTestId("follow-limit")).ToContainTextAsync("前完成当前环节");
        await Browser.AssertAccessibleAsync(page);

        // Anyone with the code, signed out, reads where it stands (and not who reported it).
        var visitor = await browser.NewPageAsync(host.Address);
        await Browser.GotoAsync(visitor, "/public/follow");
        await visitor.GetByLabel("查询码").FillAsync(code);
        await visitor.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("follow-status")).ToContainTextAsync("正在处理");
        await Assertions.Expect(visitor.GetByTestId("follow-description")).ToHaveTextAsync(description);
        await Assertions.Expect(visitor.GetByText("登录后可查看每一步的办理过程。")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(visitor);
    }

    [Fact]
    public async Task A_visitor_reads_the_yearly_plan_by_place_name_with_its_calendar_feed_and_the_menu()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.GotoAsync(page, "/public/plan");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("年度活动计划");
        await Assertions.Expect(page.GetByTestId("plan-count")).ToBeVisibleAsync();
        await ChooseAsync(page, "县、镇或村（社区）", "青阳镇");
        var feed = page.GetByTestId("ical-link");
        await Assertions.Expect(feed).ToHaveAttributeAsync("href", "/api/v1/activities/feeds/townships/321324104.ics");
        using var http = new HttpClient { BaseAddress = host.Address };
        var calendar = await http.GetStringAsync("/api/v1/activities/feeds/townships/321324104.ics");
        Assert.StartsWith("BEGIN:VCALENDAR", calendar, StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);

        await Browser.GotoAsync(page, "/public/order");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("我要点单");
        await Assertions.Expect(page.GetByText("点单需要以居民身份登录")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
    }

    /// <summary>Opens a select by its label and picks an option by its words, as a person does.</summary>
    internal static async Task ChooseAsync(IPage page, string label, string option)
    {
        await page.Locator(".mud-select").Filter(new() { Has = page.GetByText(label) }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex GuidPattern();
}
