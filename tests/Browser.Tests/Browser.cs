using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PracticeMesh.Browser.Tests;

/// <summary>
/// Debian's Chromium under Playwright, one per test class: headless, no sandbox (CI runs as root), and none of the
/// background connections a closed network refuses. Each journey opens a context of its own (its own cookies), at a
/// desktop or a phone's viewport.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where install-chromium.sh puts it (Debian's package).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };

    /// <summary>A phone (360 × 780, the most common Android size in China), touch and a phone's user agent.</summary>
    public static readonly BrowserNewContextOptions Phone = new()
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 780 },
        DeviceScaleFactor = 3,
        IsMobile = true,
        HasTouch = true,
        UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
    };

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run tests/Browser.Tests/install-chromium.sh (tests/run-all.sh does).");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                // A camera that shows what the test puts in front of it (the phone view's QR scan).
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            ],
        });
    }

    /// <summary>A fresh page at <paramref name="baseAddress"/>, in Chinese and China time, at a desktop's size unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions { ViewportSize = Desktop };
        options.BaseURL = baseAddress.ToString();
        options.Locale = "zh-CN";
        options.TimezoneId = "Asia/Shanghai";
        var context = await _browser!.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs <paramref name="userName"/> in the way a person does: the console sends the browser to identity's page,
    /// the person types their name and password there, and comes back signed in.
    /// </summary>
    public static async Task SignInAsync(IPage page, string userName, string password = PracticeMesh.TestSupport.PlatformTokens.DemoPassword, string start = "/")
    {
        await page.GotoAsync(start);
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/connect/", StringComparison.Ordinal));
        // Interactive once the server connection is up: the page's buttons work from here.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-testid=signed-in-person]') !== null");
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>Opens <paramref name="path"/> and waits until its server connection is up, so selects and buttons answer.</summary>
    public static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>Waits until the console's layout reports the page interactive (rendered over its server connection).</summary>
    /// <remarks>Attached, not visible: a full-screen page (the check-in screen) lays itself over the window, so the
    /// layout's marker has no box of its own.</remarks>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// The accessibility scan (axe-core): fails with every serious or critical violation written out in full (the rule,
    /// the elements and what is wrong with them), so a failure says where to look.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id} ({v.Help}) on {page.Url}:\n" + string.Join("\n", v.Nodes.Take(5).Select(n => $"  {string.Join(" ", n.Target)}: {string.Join(" ", n.Any.Concat(n.All).Select(c => c.Message))}")))
            .ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
