using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>Signing in and out of the console: the password goes only to identity's page; the console knows the person after.</summary>
public sealed class SignInTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    [Fact]
    public async Task A_county_admin_signs_in_on_identitys_page_sees_the_console_in_chinese_and_signs_out()
    {
        var page = await browser.NewPageAsync(host.Address);

        await page.GotoAsync("/");
        // Not signed in: the console sent the browser to identity's own page.
        Assert.Contains("/connect/authorize", page.Url, StringComparison.Ordinal);
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        await Browser.AssertAccessibleAsync(page);

        await Browser.SignInAsync(page, "county.admin");
        Assert.Equal(host.Address.ToString(), page.Url);
        Assert.Contains("泗洪县管理员", await page.GetByTestId("signed-in-person").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("工作台");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await page.WaitForURLAsync(url => url == host.Address.ToString() || url.Contains("/connect/", StringComparison.Ordinal));
        // Signed out of the console and of identity: the console's pages ask for the password again.
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("密码")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_stays_on_identitys_page_with_the_reason_and_the_console_knows_nobody()
    {
        var page = await browser.NewPageAsync(host.Address);
        await page.GotoAsync("/");
        await page.GetByLabel("用户名").FillAsync("county.admin");
        await page.GetByLabel("密码").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Assertions.Expect(page.GetByText("用户名或密码不正确")).ToBeVisibleAsync();
        Assert.Contains("/connect/", page.Url, StringComparison.Ordinal);
        var cookies = await page.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith(".practicemesh.console", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_console_switches_to_english_and_back()
    {
        var page = await browser.NewPageAsync(host.Address);
        await Browser.SignInAsync(page, "county.admin");

        await page.GetByTestId("language").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Dashboard");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));

        await page.GetByTestId("language").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("工作台");
    }
}
