using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PracticeMesh.TestSupport;
using QRCoder;

namespace PracticeMesh.Browser.Tests;

/// <summary>
/// The volunteer's phone view at a phone's size: a volunteer of 王集村 signs up for an activity of her village, checks
/// in by pointing the phone's camera at the venue's QR code, and downloads her service-record certificate. Each test
/// makes its own volunteer with her own login, so no test's sign-ups (or the demo's) stand in another's way.
/// </summary>
public sealed class PhoneTests(ConsoleHost host, Browser browser) : IClassFixture<ConsoleHost>, IClassFixture<Browser>
{
    private const string Village = "321324104202";
    private const string Password = "Phone-2026-volunteer";

    [Fact]
    public async Task A_volunteer_on_a_phone_signs_up_checks_in_with_the_cameras_qr_code_and_downloads_her_certificate()
    {
        // An activity at her village, starting soon (check-in opens half an hour before the start), published by the
        // township's institute.
        var admin = await host.ApiAsync("township.admin");
        var title = $"手机签到演练 {Guid.NewGuid().ToString("N")[..6]}";
        var now = DateTimeOffset.UtcNow;
        var created = await admin.PostAsync("/api/v1/activities", new
        {
            stationCode = Village, title, category = "Culture", startsAt = now.AddMinutes(10), endsAt = now.AddHours(2), capacity = 20, venue = "村部广场",
        }, HttpStatusCode.Created);
        var activityId = created.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{activityId}/publish", new { }, HttpStatusCode.OK);

        var page = await browser.NewPageAsync(host.Address, Phone());
        await Browser.SignInAsync(page, await NewVolunteerAsync(admin), Password, start: "/me/activities");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的活动");
        var signUp = page.GetByRole(AriaRole.Button, new() { Name = $"报名：{title}" });
        await Assertions.Expect(signUp).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        await signUp.ClickAsync();
        await Assertions.Expect(page.GetByText($"报名成功：{title}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("my-sign-ups")).ToContainTextAsync(title);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"签到：{title}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("open-activities")).Not.ToContainTextAsync(title);

        // The code the venue's screen shows now, filmed by the phone's camera: a browser whose camera plays that video.
        var token = (await admin.GetAsync($"/api/v1/activities/{activityId}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString()!;
        var video = Path.Combine(Path.GetTempPath(), $"practicemesh-qr-{Guid.NewGuid():N}.y4m");
        await File.WriteAllBytesAsync(video, QrVideo(token, 320, 240));
        try
        {
            await using var camera = await CameraPhone.LaunchAsync(video);
            var phone = await camera.NewPageAsync(host.Address, await page.Context.StorageStateAsync());
            await phone.GotoAsync("/me/checkin");
            await phone.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-testid=signed-in-person]') !== null");
            await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("扫码签到");
            await Browser.AssertAccessibleAsync(phone);

            await phone.GetByRole(AriaRole.Button, new() { Name = "打开相机扫码" }).ClickAsync();
            await Assertions.Expect(phone.GetByTestId("checked-in")).ToContainTextAsync("签到成功", new() { Timeout = 45_000 });

            // Recorded as a QR check-in of hers.
            var activity = await admin.GetAsync($"/api/v1/activities/{activityId}", HttpStatusCode.OK);
            var mine = Assert.Single(activity.GetProperty("signUps").EnumerateArray());
            Assert.Equal("QrToken", mine.GetProperty("checkInMethod").GetString());

            await phone.GotoAsync("/me/activities");
            await Assertions.Expect(phone.GetByTestId("my-sign-ups")).ToContainTextAsync("已签到");

            // Her hours, obligation and star level; the certificate the volunteers service makes, saved on the phone.
            await phone.GotoAsync("/me");
            await Assertions.Expect(phone.GetByTestId("star-level")).ToContainTextAsync("星志愿者");
            await Assertions.Expect(phone.GetByTestId("obligation")).ToBeVisibleAsync();
            await Browser.AssertAccessibleAsync(phone);
            var download = await phone.RunAndWaitForDownloadAsync(() => phone.GetByRole(AriaRole.Button, new() { Name = "下载服务证明" }).ClickAsync());
            Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);
            var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
            Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
            await Assertions.Expect(phone.GetByTestId("certificate")).ToContainTextAsync("核验码");

            await phone.GotoAsync("/me/hours");
            await Assertions.Expect(phone.GetByTestId("total-hours")).ToContainTextAsync("小时");
            await Browser.AssertAccessibleAsync(phone);
        }
        finally
        {
            File.Delete(video);
        }
    }

    [Fact]
    public async Task A_volunteer_whose_camera_cannot_read_the_screen_checks_in_by_typing_the_code()
    {
        var admin = await host.ApiAsync("township.admin");
        var title = $"手输签到演练 {Guid.NewGuid().ToString("N")[..6]}";
        var now = DateTimeOffset.UtcNow;
        var created = await admin.PostAsync("/api/v1/activities", new
        {
            stationCode = Village, title, category = "Policy", startsAt = now.AddMinutes(5), endsAt = now.AddHours(1), capacity = 20,
        }, HttpStatusCode.Created);
        var activityId = created.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{activityId}/publish", new { }, HttpStatusCode.OK);

        var page = await browser.NewPageAsync(host.Address, Phone());
        await Browser.SignInAsync(page, await NewVolunteerAsync(admin), Password, start: "/me/activities");
        await page.GetByRole(AriaRole.Button, new() { Name = $"报名：{title}" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"报名成功：{title}")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = $"签到：{title}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("扫码签到");
        var token = (await admin.GetAsync($"/api/v1/activities/{activityId}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString()!;
        await page.GetByLabel("签到码").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "提交签到码" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("checked-in")).ToContainTextAsync("签到成功");
        var activity = await admin.GetAsync($"/api/v1/activities/{activityId}", HttpStatusCode.OK);
        Assert.Equal("QrToken", Assert.Single(activity.GetProperty("signUps").EnumerateArray()).GetProperty("checkInMethod").GetString());
    }

    /// <summary>
    /// A volunteer of the village made as the township's institute makes one: registered and approved, a login of hers
    /// linked to the record once identity has heard of the approval, and known to the activities service (which hears
    /// of her through events too). Returns her user name.
    /// </summary>
    private static async Task<string> NewVolunteerAsync(HttpClient admin)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var registered = await admin.PostAsync("/api/v1/volunteers", TestIdCards.Registration("周小燕", Village), HttpStatusCode.Created);
        var volunteerId = registered.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/volunteers/{volunteerId}/approve", new { }, HttpStatusCode.OK);
        var userName = $"phone.{suffix}";
        var person = await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "周小燕", password = Password, role = "volunteer", division = Village }, HttpStatusCode.Created);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var linked = await admin.PutAsJsonAsync($"/api/v1/identity/people/{person.GetProperty("id").GetGuid()}/volunteer", new { volunteerId });
            return linked.IsSuccessStatusCode ? "linked" : null;
        }, "identity to link the login to the approved volunteer");

        // Known to activities once the institute can sign her up: for a month ahead, clear of the test's own activity.
        var startsAt = DateTimeOffset.UtcNow.AddDays(30);
        var probe = (await admin.PostAsync("/api/v1/activities", new
        {
            stationCode = Village, title = "志愿者培训", category = "Science", startsAt, endsAt = startsAt.AddHours(1), capacity = 5,
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{probe}/publish", new { }, HttpStatusCode.OK);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var signedUp = await admin.PostAsJsonAsync($"/api/v1/activities/{probe}/sign-ups", new { volunteerId });
            return signedUp.IsSuccessStatusCode ? "known" : null;
        }, "the activities service to know the approved volunteer");
        return userName;
    }

    /// <summary>A fresh copy of the phone's options (the fixture fills in address, language and time zone).</summary>
    internal static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = Browser.Phone.ViewportSize,
        DeviceScaleFactor = Browser.Phone.DeviceScaleFactor,
        IsMobile = true,
        HasTouch = true,
        UserAgent = Browser.Phone.UserAgent,
    };

    /// <summary>
    /// A camera's video (YUV4MPEG2, 4:2:0) of <paramref name="text"/> as a QR code, dark modules on a light screen, a
    /// second long at ten frames a second (Chromium plays it in a loop).
    /// </summary>
    internal static byte[] QrVideo(string text, int width, int height)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = Math.Min(width, height) / modules.Count;
        var (left, top) = ((width - size * modules.Count) / 2, (height - size * modules.Count) / 2);
        var luma = Enumerable.Repeat((byte)235, width * height).ToArray();
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules.Count; column++)
            {
                if (modules[row][column])
                {
                    for (var y = 0; y < size; y++)
                    {
                        Array.Fill(luma, (byte)16, (top + row * size + y) * width + left + column * size, size);
                    }
                }
            }
        }
        var chroma = Enumerable.Repeat((byte)128, width * height / 4).ToArray();
        using var video = new MemoryStream();
        video.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n"));
        for (var frame = 0; frame < 10; frame++)
        {
            video.Write(Encoding.ASCII.GetBytes("FRAME\n"));
            video.Write(luma);
            video.Write(chroma);
            video.Write(chroma);
        }
        return video.ToArray();
    }
}

/// <summary>
/// Debian's Chromium with a camera that films <c>video</c> (a .y4m file): the fake capture device plays the file, and
/// the camera permission is granted as a person would grant it.
/// </summary>
internal sealed class CameraPhone : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private CameraPhone(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<CameraPhone> LaunchAsync(string video)
    {
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}",
            ],
        });
        return new CameraPhone(playwright, chromium);
    }

    /// <summary>A page at a phone's size carrying <paramref name="storageState"/> (the signed-in session of another page).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, string storageState)
    {
        var options = PhoneTests.Phone();
        options.BaseURL = baseAddress.ToString();
        options.Locale = "zh-CN";
        options.TimezoneId = "Asia/Shanghai";
        options.StorageState = storageState;
        options.Permissions = ["camera"];
        var context = await _browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
