using System.Security.Claims;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Components.Pages.Me;
using QRCoder;

namespace PracticeMesh.WebConsole.Tests;

/// <summary>The volunteer's phone view: obligation progress, sign-up, and check-in by a scanned or typed code.</summary>
public sealed class MePhoneTests : ConsoleTestContext
{
    private static readonly Guid ActivityId = Guid.Parse("0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f");
    private static readonly Guid VolunteerId = Guid.Parse("0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e");
    private static readonly string Token = $"{ActivityId:N}.1772672700000.q7Yx3mN9pL2aB4cD.Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

    public MePhoneTests()
    {
        // The session's token is valid for the test's hour, so identity's metadata (for a refresh) is never asked for;
        // the context's own registration refuses even to be built, and a page's API client needs one built.
        Services.AddSingleton(new IssuerMetadata(null!));
        // Interactive on the server, as the console runs its pages (the buttons wait for it).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        SignIn("volunteer", "321324104202", "王芳");
        // SignIn's roles replace its claims (the session among them); the pages need the claims, not the roles.
        Authorization.SetClaims(new Claim("sub", Guid.NewGuid().ToString()), new Claim("name", "王芳"), new Claim("role", "volunteer"),
            new Claim("division", "321324104202"), new Claim(ConsoleClaims.SessionId, SessionId));
        Api.Answer(HttpMethod.Get, "/api/v1/stations/321324104202/subtree", new { code = "321324104202", name = "王集村新时代文明实践站", kind = "Village", status = "Open", children = Array.Empty<object>() });
    }

    [Fact]
    public void The_obligation_shows_done_over_required_what_is_short_and_that_the_volunteer_is_behind()
    {
        AnswerMe(required: 20m, done: 12m, shortHours: 8m, expected: 18m, behind: true);

        var page = Render<MyHome>();

        page.WaitForAssertion(() => Assert.Contains("已完成 12 / 20 小时", page.Find("[data-testid=obligation]").TextContent, StringComparison.Ordinal));
        Assert.Equal(60, page.Instance.Obligation!.Percent);
        Assert.Contains("还差 8 小时", page.Markup, StringComparison.Ordinal);
        Assert.Contains("按时间应完成 18 小时", page.Find("[data-testid=obligation-behind]").TextContent, StringComparison.Ordinal);
        Assert.Contains("12 小时", page.Find("[data-testid=hours-this-year]").TextContent, StringComparison.Ordinal);
        Assert.Contains("3 星志愿者", page.Find("[data-testid=star-level]").TextContent, StringComparison.Ordinal);
        Assert.Contains("党政干部", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Hours_beyond_the_obligation_read_as_met_and_a_category_without_one_says_so()
    {
        AnswerMe(required: 20m, done: 26.5m, shortHours: 0m, expected: 18m, behind: false);
        var met = Render<MyHome>();
        met.WaitForAssertion(() => Assert.Contains("今年任务已完成", met.Markup, StringComparison.Ordinal));
        Assert.Equal(100, met.Instance.Obligation!.Percent);

        AnswerMe(required: 0m, done: 3m, shortHours: 0m, expected: 0m, behind: false);
        var none = Render<MyHome>();
        none.WaitForAssertion(() => Assert.Contains("没有服务时长任务", none.Find("[data-testid=obligation]").TextContent, StringComparison.Ordinal));
        Assert.Empty(none.FindAll("[data-testid=obligation-progress]"));
    }

    [Fact]
    public void Open_activities_leave_out_those_already_signed_up_for_and_signing_up_posts_for_oneself()
    {
        var mine = new { activityId = ActivityId, stationCode = "321324104202", title = "学雷锋志愿服务", category = "ConvenienceService",
            startsAt = DateTimeOffset.UtcNow.AddDays(2), endsAt = DateTimeOffset.UtcNow.AddDays(2).AddHours(2), status = "Published", venue = "村部广场",
            place = (string?)null, signUpStatus = "Confirmed", position = 1, checkedInAt = (DateTimeOffset?)null, checkedOutAt = (DateTimeOffset?)null,
            creditedHours = (decimal?)null };
        var other = Guid.NewGuid();
        Api.Answer(HttpMethod.Get, "/api/v1/activities/me", new { volunteerId = VolunteerId, items = new[] { mine }, creditedHours = 0m });
        Api.Answer(HttpMethod.Get, "/api/v1/activities", new object[]
        {
            Activity(ActivityId, "学雷锋志愿服务", "Published"), Activity(other, "文明家庭宣讲", "Published"), Activity(Guid.NewGuid(), "草稿活动", "Draft"),
        });
        Api.Answer(HttpMethod.Post, $"/api/v1/activities/{other}/sign-ups", new { id = other });

        var page = Render<MyActivitiesPage>();

        page.WaitForAssertion(() => Assert.Equal(["文明家庭宣讲"], page.Instance.Open.Select(a => a.Title)));
        Assert.Contains("学雷锋志愿服务", page.Find("[data-testid=my-sign-ups]").TextContent, StringComparison.Ordinal);
        page.Find("[aria-label='报名：文明家庭宣讲']").Click();

        page.WaitForAssertion(() => Assert.Contains("报名成功：文明家庭宣讲", page.Markup, StringComparison.Ordinal));
        var signUp = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal($"/api/v1/activities/{other}/sign-ups", signUp.PathAndQuery);
        // For oneself: no volunteer named, the API takes the signed-in volunteer.
        Assert.False(JsonDocument.Parse(signUp.Body!).RootElement.TryGetProperty("volunteerId", out _));
    }

    [Fact]
    public async Task A_qr_code_decoded_from_a_camera_frame_is_the_token_posted_to_its_activitys_check_in()
    {
        AnswerCheckIn();
        var page = Render<CheckIn>();

        var stop = await page.InvokeAsync(() => page.Instance.AcceptFrameAsync(QrFrame(Token, 320, 240), 320, 240));

        Assert.True(stop);
        var posted = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal($"/api/v1/activities/{ActivityId}/check-ins", posted.PathAndQuery);
        Assert.Equal(Token, JsonDocument.Parse(posted.Body!).RootElement.GetProperty("token").GetString());
        page.WaitForAssertion(() => Assert.Contains("签到成功", page.Find("[data-testid=checked-in]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_frame_without_a_code_posts_nothing_and_scanning_goes_on()
    {
        var page = Render<CheckIn>();
        var blank = Enumerable.Repeat((byte)255, 320 * 240).ToArray();

        Assert.False(await page.InvokeAsync(() => page.Instance.AcceptFrameAsync(blank, 320, 240)));
        Assert.False(await page.InvokeAsync(() => page.Instance.OnCodeAsync("https://example.org/not-a-check-in")));
        Assert.DoesNotContain(Api.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public void The_typed_code_is_the_fallback_and_something_else_typed_is_refused_before_it_is_sent()
    {
        AnswerCheckIn();
        var page = Render<CheckIn>();

        page.Find("input").Input("123456");
        page.FindAll("button").Single(b => b.TextContent.Contains("提交签到码", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Contains("这不是本平台的签到码", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Api.Requests, r => r.Method == HttpMethod.Post);

        page.Find("input").Input($"  {Token} ");
        page.FindAll("button").Single(b => b.TextContent.Contains("提交签到码", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("签到成功", page.Find("[data-testid=checked-in]").TextContent, StringComparison.Ordinal));
        var posted = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal($"/api/v1/activities/{ActivityId}/check-ins", posted.PathAndQuery);
        Assert.Equal(Token, JsonDocument.Parse(posted.Body!).RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public void A_refused_check_in_says_why_in_the_apis_words()
    {
        Api.Problem(HttpMethod.Post, $"/api/v1/activities/{ActivityId}/check-ins", 409, "Conflict", "签到码已过期，请扫描现场大屏上当前的二维码。");
        var page = Render<CheckIn>();

        page.Find("input").Input(Token);
        page.FindAll("button").Single(b => b.TextContent.Contains("提交签到码", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("签到码已过期", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=checked-in]"));
    }

    [Fact]
    public void The_certificate_covers_the_whole_record_from_the_china_day_of_registration_to_today_and_is_saved()
    {
        AnswerMe(required: 20m, done: 12m, shortHours: 8m, expected: 18m, behind: false);
        Api.Answer(HttpMethod.Post, "/api/v1/volunteers/me/certificates", new
        {
            id = Guid.NewGuid(), serial = "PM-2026-000123", verificationCode = "K7M2-Q9TX", totalHours = 12m, pdfUrl = "/api/v1/volunteers/me/certificates/1/pdf",
        });
        Api.Answer(HttpMethod.Get, "/api/v1/volunteers/me/certificates/1/pdf", _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new ByteArrayContent("%PDF-1.7"u8.ToArray()) { Headers = { ContentType = new("application/pdf") } },
        });
        var page = Render<MyHome>();
        page.WaitForAssertion(() => Assert.Contains("12 小时", page.Find("[data-testid=hours-this-year]").TextContent, StringComparison.Ordinal));

        page.FindAll("button").Single(b => b.TextContent.Contains("下载服务证明", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("K7M2-Q9TX", page.Find("[data-testid=certificate]").TextContent, StringComparison.Ordinal));
        using var body = JsonDocument.Parse(Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post).Body!);
        // Registered 01:30 on 5 March in China (17:30 UTC the day before); the period ends today in China.
        Assert.Equal("2025-03-05", body.RootElement.GetProperty("from").GetString());
        Assert.Equal(PracticeMesh.ServiceDefaults.ChinaTime.Today(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd"), body.RootElement.GetProperty("to").GetString());
        var save = JSInterop.Invocations.Single(i => i.Identifier == "practiceMesh.saveFile");
        Assert.Equal("application/pdf", save.Arguments[1]);
    }

    private void AnswerMe(decimal required, decimal done, decimal shortHours, decimal expected, bool behind)
    {
        Api.Answer(HttpMethod.Get, "/api/v1/volunteers/me", new { id = VolunteerId, name = "王芳", homeStationCode = "321324104202", status = "Approved",
            starLevel = 3, categories = new[] { "Cadre" }, linked = true, registeredAt = DateTimeOffset.Parse("2025-03-04T17:30:00Z") });
        Api.Answer(HttpMethod.Get, "/api/v1/volunteers/me/obligations", new { volunteerId = VolunteerId, name = "王芳", homeStationCode = "321324104202",
            year = 2026, requiredHours = required, doneHours = done, shortHours, expectedByNowHours = expected, behind });
    }

    private void AnswerCheckIn() =>
        Api.Answer(HttpMethod.Post, $"/api/v1/activities/{ActivityId}/check-ins", new { volunteerId = VolunteerId, status = "Confirmed",
            checkedInAt = DateTimeOffset.Parse("2026-03-05T01:05:00Z"), checkInMethod = "QrToken" });

    private static object Activity(Guid id, string title, string status) => new
    {
        id, stationCode = "321324104202", title, category = "Culture", startsAt = DateTimeOffset.UtcNow.AddDays(3),
        endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), status, venue = "文化广场", place = (string?)null, capacity = 30,
    };

    /// <summary>A camera frame showing <paramref name="text"/> as a QR code: white, the code's modules black, centred.</summary>
    internal static byte[] QrFrame(string text, int width, int height)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = Math.Min(width, height) / modules.Count;
        var (left, top) = ((width - size * modules.Count) / 2, (height - size * modules.Count) / 2);
        var frame = Enumerable.Repeat((byte)235, width * height).ToArray();
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules.Count; column++)
            {
                if (!modules[row][column])
                {
                    continue;
                }
                for (var y = 0; y < size; y++)
                {
                    Array.Fill(frame, (byte)16, (top + row * size + y) * width + left + column * size, size);
                }
            }
        }
        return frame;
    }
}
