using System.Net;
using Microsoft.Playwright;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Browser.Tests;

/// <summary>The grid case board: a county admin accepts a resident's report and sees it move column.</summary>
public sealed class GridBoardTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_county_admin_accepts_a_reported_case_on_the_board_and_sees_it_move_to_the_accepted_column()
    {
        using var resident = await host.ApiAsync("resident");
        var description = $"路面塌陷 {Guid.NewGuid():N}"[..16];
        var reported = await resident.PostAsync("/api/v1/grid/cases",
            new { category = "road-damage", description, address = "王集村三组", villageCode = "321324104202" }, HttpStatusCode.Created);
        var number = reported.GetProperty("number").GetString()!;

        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "county.admin", start: "/grid/cases");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("网格事件看板");
        var card = page.GetByTestId("column-Reported").GetByTestId("case-card").Filter(new() { HasText = number });
        await Assertions.Expect(card).ToContainTextAsync("剩余");
        await Assertions.Expect(card).ToContainTextAsync("道路破损");
        await Browser.AssertAccessibleAsync(page);

        await card.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("上报");
        await Assertions.Expect(page.GetByTestId("case-history")).ToContainTextAsync("上报");
        await Browser.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "立案", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-status")).ToHaveTextAsync("立案");
        await Assertions.Expect(page.GetByTestId("case-history")).ToContainTextAsync("泗洪县管理员");

        await page.GetByRole(AriaRole.Link, new() { Name = "返回看板" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("column-Accepted").GetByTestId("case-card").Filter(new() { HasText = number })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("column-Reported").GetByTestId("case-card").Filter(new() { HasText = number })).ToHaveCountAsync(0);
    }
}
