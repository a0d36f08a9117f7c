using System.Net.Http.Json;
using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>The dashboard and the map as a township's admin sees them: their township only, readable by everyone.</summary>
public sealed class DashboardTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_township_admin_signs_in_and_sees_only_their_township_on_the_dashboard_and_map()
    {
        // A venue in each township, located, so the map has points of both to leave out or show.
        using (var county = await host.ApiAsync("county.admin"))
        {
            foreach (var (station, name, lon) in new[] { ("321324104202", "王集村文化礼堂", 118.205), ("321324105201", "双沟村文化广场", 118.405) })
            {
                using var added = await county.PostAsJsonAsync($"/api/v1/stations/{station}/venues",
                    new { platform = "TheoryLectures", name, address = "村部", latitude = 33.452, longitude = lon });
                Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
            }
        }
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "township.admin");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("青阳镇");
        // Figures are links to their lists, filtered.
        await Assertions.Expect(page.GetByTestId("figure-open-cases-link")).ToHaveAttributeAsync("href", "/grid/cases?open=true");
        await Assertions.Expect(page.GetByTestId("figure-stations-value")).ToBeVisibleAsync();
        var dashboardMap = page.GetByRole(AriaRole.Img, new() { Name = "青阳镇地图" });
        await Assertions.Expect(dashboardMap).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("geo-map-list")).ToContainTextAsync("王集村第一网格");
        await Assertions.Expect(page.GetByTestId("geo-map-list")).Not.ToContainTextAsync("双沟");
        await Browser.AssertAccessibleAsync(page);

        await page.GotoAsync("/map");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("青阳镇");
        var list = page.GetByRole(AriaRole.List, new() { Name = "地图上的阵地、场所和网格" });
        await Assertions.Expect(list).ToContainTextAsync("王集村第一网格");
        await Assertions.Expect(list).ToContainTextAsync("大楼社区第一网格");
        await Assertions.Expect(list).ToContainTextAsync("王集村文化礼堂");
        await Assertions.Expect(list).Not.ToContainTextAsync("双沟");
        await Assertions.Expect(page.Locator("svg[role=img] path[data-code='321324104202-01'] title")).ToHaveTextAsync("网格：王集村第一网格");
        Assert.Equal(0, await page.Locator("svg[role=img] [data-code^='321324105']").CountAsync());
        await Browser.AssertAccessibleAsync(page);
    }
}
