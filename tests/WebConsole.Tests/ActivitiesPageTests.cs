using System.Net;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using PracticeMesh.WebConsole.Components.Pages.Activities;

namespace PracticeMesh.WebConsole.Tests;

/// <summary>The activity pages' logic: the month's count, the create form's refusals, publishing and completing, the check-in screen's code.</summary>
public sealed class ActivitiesPageTests : ConsoleTestContext, IAsyncLifetime
{
    // MudBlazor's popover services are disposed only asynchronously.
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private const string Station = "321324104201";
    private const string Township = "321324104";
    private static readonly Guid ActivityId = Guid.Parse("0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e");

    // 10:10 on 5 March 2026 in China: the month under way is 2026-03.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 5, 2, 10, 0, TimeSpan.Zero));

    public ActivitiesPageTests()
    {
        Services.AddSingleton<TimeProvider>(_time);
        // ConsoleTokens takes the issuer's metadata in its constructor; a test session's token never needs refreshing,
        // so one that is never asked is enough (the shared context's throwing factory would stop every API call).
        Services.AddSingleton(new PracticeMesh.WebConsole.Auth.IssuerMetadata(null!));
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{Station}/subtree",
            new { code = Station, name = "大楼社区新时代文明实践站", kind = "Community", status = "Active", children = Array.Empty<object>() });
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{Township}/subtree",
            new
            {
                code = Township, name = "青阳镇新时代文明实践所", kind = "Institute", status = "Active",
                children = new[]
                {
                    new { code = Station, name = "大楼社区新时代文明实践站", kind = "Community", status = "Active", children = Array.Empty<object>() },
                    new { code = "321324104202", name = "王集村新时代文明实践站", kind = "Village", status = "Active", children = Array.Empty<object>() },
                },
            });
    }

    /// <summary>
    /// The shared sign-in, with the person's claims set again after their role: setting the role replaces the claims
    /// set before it, and without the session's claim every API call would send the page to sign in.
    /// </summary>
    private new void SignIn(string role, string division, string name = "测试人员")
    {
        base.SignIn(role, division, name);
        Authorization.SetClaims(
            new Claim("sub", Guid.NewGuid().ToString()),
            new Claim("name", name),
            new Claim("role", role),
            new Claim("division", division),
            new Claim(PracticeMesh.WebConsole.Auth.ConsoleClaims.SessionId, SessionId));
    }

    /// <summary>A top-level field of a request's JSON body, as text.</summary>
    private static string? Field(string? body, string name) =>
        System.Text.Json.JsonDocument.Parse(body!).RootElement.GetProperty(name).ToString();

    /// <summary>A path as the handler sees it (the query's escapes as a URI keeps them).</summary>
    private static string AsSent(string path) => new Uri(new Uri("http://console.test/"), path).PathAndQuery;

    private static readonly DateOnly March = new(2026, 3, 1);

    private static object Row(string title, string status, int day) => new
    {
        id = Guid.NewGuid(), stationCode = Station, title, category = "ConvenienceService",
        startsAt = new DateTimeOffset(2026, 3, day, 1, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(2026, 3, day, 3, 0, 0, TimeSpan.Zero),
        status, venue = "村文化广场", place = (string?)null, capacity = 20, lateAnnouncement = false,
    };

    private static object Detail(string status, DateTimeOffset? completedAt = null, int residents = 0, bool late = false) => new
    {
        id = ActivityId, stationCode = Station, title = "学雷锋志愿服务", category = "ConvenienceService",
        startsAt = new DateTimeOffset(2026, 3, 5, 1, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(2026, 3, 5, 3, 0, 0, TimeSpan.Zero),
        capacity = 20, status, publishedAt = status == "Draft" ? (DateTimeOffset?)null : new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
        lateAnnouncement = late, completedAt, venue = "村文化广场", place = (string?)null, content = (string?)null, cancelledAt = (DateTimeOffset?)null,
        cancelReason = (string?)null, confirmedCount = 1, waitlistCount = 0, residentAttendeeCount = residents,
        signUps = new[]
        {
            new { volunteerId = Guid.Parse("11111111-2222-3333-4444-555555555555"), status = "Confirmed", position = 1,
                signedUpAt = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), checkedInAt = (DateTimeOffset?)null,
                checkedOutAt = (DateTimeOffset?)null, checkInMethod = (string?)null, checkOutMethod = (string?)null, attendanceNote = (string?)null,
                creditedHours = (decimal?)null },
        },
    };

    private static object Cadence(int held, int counted) => new
    {
        stationCode = Station, month = "2026-03", heldActivities = held, required = 2, met = counted >= 2, countedActivities = counted,
        announceDaysAhead = 3, stationName = (string?)null,
        notCounted = new[] { new { id = Guid.NewGuid(), title = "临时加场的宣讲", startsAt = new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero),
            status = "Completed", reasons = new[] { "AnnouncedLate" } } },
    };

    [Fact]
    public void A_station_head_sees_the_months_activities_and_the_count_of_concentrated_activities_for_their_station()
    {
        SignIn("station_admin", Station, "大楼社区站长");
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.List(Station, March)), new[] { Row("学雷锋志愿服务", "Completed", 5), Row("健康义诊", "Published", 20) });
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.Cadence(Station, March)), Cadence(held: 2, counted: 1));

        var page = Render<ActivityList>();

        page.WaitForAssertion(() => Assert.Contains("本月已开展 2 次集中活动，计入 1 次（要求每月 2 次）", page.Find("[data-testid=month-count]").TextContent,
            StringComparison.Ordinal));
        Assert.Contains("未达标", page.Find("[data-testid=month-count]").TextContent, StringComparison.Ordinal);
        // Why one did not count, in words.
        Assert.Contains(page.FindAll("li"), li => li.TextContent.Contains("临时加场的宣讲：未提前发布预告", StringComparison.Ordinal));
        Assert.Contains("健康义诊", page.Find("[data-testid=activity-list]").TextContent, StringComparison.Ordinal);
        Assert.Contains("共 2 项活动", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_township_admin_sees_how_many_of_their_stations_meet_the_rule_this_month_and_which_do_not()
    {
        SignIn("township_admin", Township, "青阳镇管理员");
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.List(Township, March)), Array.Empty<object>());
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.CadenceBelow(Township, March)), new
        {
            under = Township, month = "2026-03", required = 2, stationsConsidered = 2, stationsMet = 1,
            below = new[] { new { stationCode = "321324104202", month = "2026-03", heldActivities = 1, required = 2, met = false, countedActivities = 0,
                announceDaysAhead = 3, stationName = "王集村新时代文明实践站", notCounted = Array.Empty<object>() } },
        });

        var page = Render<ActivityList>();

        page.WaitForAssertion(() => Assert.Contains("本月 1 / 2 个站点已达到每月 2 次集中活动", page.Find("[data-testid=month-count]").TextContent,
            StringComparison.Ordinal));
        Assert.Contains("王集村", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_list_shows_twenty_rows_a_page_and_the_status_filter_narrows_it()
    {
        SignIn("station_admin", Station);
        var rows = Enumerable.Range(1, 25).Select(i => Row($"活动{i:00}", i % 5 == 0 ? "Draft" : "Completed", 1 + i % 28)).ToArray();
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.List(Station, March)), rows);
        Api.Answer(HttpMethod.Get, AsSent(ActivityPaths.Cadence(Station, March)), Cadence(held: 20, counted: 20));

        var page = Render<ActivityList>();

        page.WaitForAssertion(() => Assert.Equal("第 1 / 2 页", page.Find("[data-testid=page]").TextContent.Trim()));
        Assert.Equal(20, page.FindAll("[data-testid=activity-list] tbody tr").Count);
        page.FindAll("button").Single(b => b.TextContent.Trim() == "下一页").Click();
        Assert.Equal(5, page.FindAll("[data-testid=activity-list] tbody tr").Count);
        Assert.Equal("第 2 / 2 页", page.Find("[data-testid=page]").TextContent.Trim());

        // Only drafts: five of them, on one page.
        page.InvokeAsync(() => page.FindComponents<MudSelect<string>>()[1].Instance.ValueChanged.InvokeAsync("Draft"));
        page.WaitForAssertion(() => Assert.Equal("第 1 / 1 页", page.Find("[data-testid=page]").TextContent.Trim()));
        Assert.Equal(5, page.FindAll("[data-testid=activity-list] tbody tr").Count);
        Assert.All(page.FindAll("[data-testid=activity-list] tbody tr"), r => Assert.Contains("草稿", r.TextContent, StringComparison.Ordinal));
    }

    private IRenderedComponent<ActivityCreate> RenderForm()
    {
        SignIn("station_admin", Station);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/activities/new");
        var form = Render<ActivityCreate>();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindComponents<MudTextField<string>>()));
        return form;
    }

    private static void Fill(IRenderedComponent<ActivityCreate> form, int field, string value) =>
        form.FindComponents<MudTextField<string>>()[field].Find("input").Change(value);

    [Fact]
    public void The_form_refuses_what_the_api_would_refuse_before_sending_it()
    {
        var form = RenderForm();
        // No title, and an end before the start: the API's own rules, said in the form, and nothing is sent.
        Fill(form, 1, "2026-03-20T10:00");
        Fill(form, 2, "2026-03-20T09:00");
        form.FindAll("button").Single(b => b.TextContent.Contains("保存草稿", StringComparison.Ordinal)).Click();

        form.WaitForAssertion(() =>
        {
            Assert.Contains("活动名称为 1 至 200 个字。", form.Markup, StringComparison.Ordinal);
            Assert.Contains("结束时间须晚于开始时间。", form.Markup, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(Api.Requests, r => r.Method == HttpMethod.Post);

        Fill(form, 2, "2026-03-21T11:00");
        form.FindAll("button").Single(b => b.TextContent.Contains("保存草稿", StringComparison.Ordinal)).Click();
        form.WaitForAssertion(() => Assert.Contains("一次活动最长 24 小时。", form.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Api.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public void When_the_api_refuses_the_form_shows_its_words_and_stays()
    {
        Api.Problem(HttpMethod.Post, "/api/v1/activities", 409, "Conflict", "Station 321324104201 is closed and takes no new activities.");
        var form = RenderForm();
        Fill(form, 0, "学雷锋志愿服务");
        form.FindAll("button").Single(b => b.TextContent.Contains("保存草稿", StringComparison.Ordinal)).Click();

        form.WaitForAssertion(() => Assert.Contains("Station 321324104201 is closed and takes no new activities.", form.Find("[role=alert]").TextContent,
            StringComparison.Ordinal));
        var sent = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal(Station, Field(sent.Body, "stationCode"));
        Assert.Equal("学雷锋志愿服务", Field(sent.Body, "title"));
        // Not sent anywhere else: the person corrects what they typed.
        Assert.EndsWith("/activities/new", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_saved_opens_its_page_and_the_start_is_sent_in_china_time()
    {
        Api.Answer(HttpMethod.Post, "/api/v1/activities", Detail("Draft"), HttpStatusCode.Created);
        var form = RenderForm();
        Fill(form, 0, "学雷锋志愿服务");
        Fill(form, 1, "2026-03-20T09:00");
        Fill(form, 2, "2026-03-20T11:00");
        form.FindAll("button").Single(b => b.TextContent.Contains("保存草稿", StringComparison.Ordinal)).Click();

        form.WaitForAssertion(() => Assert.EndsWith($"/activities/{ActivityId}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        var sent = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal("2026-03-20T09:00:00+08:00", Field(sent.Body, "startsAt"));
    }

    [Fact]
    public void Publishing_and_completing_send_what_the_api_wants_and_show_the_new_status()
    {
        SignIn("station_admin", Station);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}", Detail("Draft"));
        Api.Answer(HttpMethod.Post, $"/api/v1/activities/{ActivityId}/publish", Detail("Published", late: true));
        Api.Answer(HttpMethod.Post, $"/api/v1/activities/{ActivityId}/complete", Detail("Completed", _time.GetUtcNow(), residents: 35));
        var page = Render<ActivityPage>(p => p.Add(d => d.Id, ActivityId));

        page.WaitForAssertion(() => Assert.Equal("草稿", page.Find("[data-testid=activity-status]").TextContent.Trim()));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "发布预告").Click();
        page.WaitForAssertion(() => Assert.Equal("已发布", page.Find("[data-testid=activity-status]").TextContent.Trim()));
        // Announced less than 3 days ahead: said plainly, since it will not count towards the month.
        Assert.Contains("不计入每月集中活动", page.Markup, StringComparison.Ordinal);

        page.FindComponent<MudNumericField<int>>().Find("input").Change("35");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "结项").Click();
        page.WaitForAssertion(() => Assert.Equal("已结项", page.Find("[data-testid=activity-status]").TextContent.Trim()));
        var complete = Assert.Single(Api.Requests, r => r.PathAndQuery.EndsWith("/complete", StringComparison.Ordinal));
        Assert.Equal("35", Field(complete.Body, "residentAttendees"));
    }

    [Fact]
    public void A_correction_the_api_refuses_is_shown_in_its_words()
    {
        SignIn("station_admin", Station);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}", Detail("Completed", _time.GetUtcNow()));
        Api.Problem(HttpMethod.Post, $"/api/v1/activities/{ActivityId}/corrections", 409, "Conflict", "The correction changes nobody's hours.");
        var page = Render<ActivityPage>(p => p.Add(d => d.Id, ActivityId));
        page.WaitForAssertion(() => Assert.Contains("签到更正", page.Markup, StringComparison.Ordinal));

        page.InvokeAsync(() => page.FindComponent<MudSelect<Guid?>>().Instance.ValueChanged.InvokeAsync(Guid.Parse("11111111-2222-3333-4444-555555555555")));
        page.FindComponents<MudTextField<string>>()[2].Find("input").Change("签到设备故障");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "提交更正").Click();

        page.WaitForAssertion(() => Assert.Contains("The correction changes nobody's hours.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        var sent = Assert.Single(Api.Requests, r => r.PathAndQuery.EndsWith("/corrections", StringComparison.Ordinal));
        Assert.Equal("签到设备故障", Field(sent.Body, "reason"));
    }

    [Fact]
    public void The_check_in_screen_shows_the_apis_code_and_fetches_the_next_one_when_it_rotates()
    {
        SignIn("station_admin", Station);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}", Detail("Published"));
        var issued = 0;
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}/qr-token", _ =>
        {
            // The API's rotation: one code per 30-second slot, valid 90 seconds.
            var now = _time.GetUtcNow();
            var slot = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / 30_000 * 30_000);
            issued++;
            return FakeApi.Json(new { token = $"code-{issued}", issuedAt = slot, expiresAt = slot.AddSeconds(90), nextRotationAt = slot.AddSeconds(30) });
        });
        var screen = Render<CheckInScreen>(p => p.Add(s => s.Id, ActivityId));

        screen.WaitForAssertion(() => Assert.Equal("code-1", screen.Find("[data-testid=checkin-qr]").GetAttribute("data-token")));
        var firstImage = screen.Find("[data-testid=checkin-qr]").GetAttribute("src");
        Assert.StartsWith("data:image/svg+xml;base64,", firstImage, StringComparison.Ordinal);
        Assert.Equal("“学雷锋志愿服务”签到二维码", screen.Find("[data-testid=checkin-qr]").GetAttribute("alt"));
        Assert.Contains("30 秒后更换二维码", screen.Find("[data-testid=qr-countdown]").TextContent, StringComparison.Ordinal);
        Assert.Contains("距活动结束 50:00", screen.Find("[data-testid=activity-time-left]").TextContent, StringComparison.Ordinal);

        // Before the rotation: the same code, counting down, no new request.
        _time.Advance(TimeSpan.FromSeconds(20));
        screen.WaitForAssertion(() => Assert.Contains("10 秒后更换二维码", screen.Find("[data-testid=qr-countdown]").TextContent, StringComparison.Ordinal));
        Assert.Equal(1, issued);

        _time.Advance(TimeSpan.FromSeconds(10));
        screen.WaitForAssertion(() => Assert.Equal("code-2", screen.Find("[data-testid=checkin-qr]").GetAttribute("data-token")));
        Assert.Equal(2, issued);
        Assert.NotEqual(firstImage, screen.Find("[data-testid=checkin-qr]").GetAttribute("src"));
    }

    [Fact]
    public void A_screen_opened_before_check_in_opens_says_why_and_shows_the_code_once_the_api_issues_one()
    {
        SignIn("station_admin", Station);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}", Detail("Published"));
        Api.Problem(HttpMethod.Get, $"/api/v1/activities/{ActivityId}/qr-token", 409, "Conflict",
            "A check-in code is shown only while an activity is under way; this one is published.");
        var screen = Render<CheckInScreen>(p => p.Add(s => s.Id, ActivityId));

        screen.WaitForAssertion(() => Assert.Contains("shown only while an activity is under way", screen.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(screen.FindAll("[data-testid=checkin-qr]"));

        var slot = _time.GetUtcNow().AddSeconds(30);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/{ActivityId}/qr-token",
            new { token = "code-open", issuedAt = slot, expiresAt = slot.AddSeconds(90), nextRotationAt = slot.AddSeconds(30) });
        _time.Advance(CheckInScreen.RetryAfter);
        screen.WaitForAssertion(() => Assert.Equal("code-open", screen.Find("[data-testid=checkin-qr]").GetAttribute("data-token")));
    }
}
