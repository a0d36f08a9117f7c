using System.Globalization;
using Bunit;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Pages.Assessment;

namespace PracticeMesh.WebConsole.Tests;

public sealed class AssessmentPagesTests : ConsoleTestContext
{
    private static readonly SchemeRef Scheme = new("321324", 2026, 1);
    private readonly string _period = AssessmentPeriods.LastMonth(DateTimeOffset.UtcNow);

    private static RankingResponse Ranking(string period, string tier, string under, params RankingItem[] items) => new(period, tier, under, Scheme, [.. items]);

    [Fact]
    public void A_township_admin_sees_the_stations_of_their_township_ranked_for_last_month_with_a_link_to_each_explanation()
    {
        SignIn("township_admin", "321324104");
        Api.Answer(HttpMethod.Get, $"/api/v1/assessment/rankings?period={_period}&tier=Station&under=321324104", Ranking(_period, "Station", "321324104",
            new RankingItem(1, "321324104202", "王集村新时代文明实践站", 86.5m, 4, "四星"),
            new RankingItem(2, "321324104201", "大楼社区新时代文明实践站", 70m, 3, "三星")));

        var page = Render<AssessmentPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        Assert.Contains("86.5", page.FindAll("tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal($"/assessment/explain/station/321324104202/{_period}",
            page.Find("a[aria-label='王集村新时代文明实践站 的得分说明']").GetAttribute("href"));
        // Publishing is the county's: a township admin has no such button.
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("公布", StringComparison.Ordinal));
    }

    [Fact]
    public void An_explanations_points_less_its_deductions_add_up_to_the_total_shown()
    {
        SignIn("township_admin", "321324104");
        Api.Answer(HttpMethod.Get, "/api/v1/assessment/stations/321324104202/scores/2026-10", new SubjectScore("Station", "321324104202", "王集村新时代文明实践站",
            "2026-10", Scheme, 78.5m, 3, "三星",
            [
                new IndicatorScore("activities", "集中实践活动", 3m, 2m, 40m, 40m, "每月不少于 2 次，达到得满分", [new FactLine("集中实践活动", 3m, "2026-10")]),
                new IndicatorScore("hours", "人均服务时长", 1.5m, 2m, 22.5m, 30m, "按实际/目标比例得分", [new FactLine("服务时长", 45m, "2026-10"), new FactLine("志愿者", 30m)]),
                new IndicatorScore("cases", "网格事件办结", null, 1m, 20m, 30m, "无事件时得基本分", []),
            ],
            [new DeductionApplied("late", "事件超期未办结", 4m, "cases", "超期 1 件扣 4 分")]));

        var page = Render<ExplanationPage>(p => p.Add(x => x.Tier, "station").Add(x => x.Subject, "321324104202").Add(x => x.Period, "2026-10"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=indicator]").Count));
        var points = page.FindAll("[data-testid=indicator-points]").Sum(p => decimal.Parse(p.TextContent, CultureInfo.InvariantCulture));
        var deductions = page.FindAll("[data-testid=deduction-points]").Sum(p => decimal.Parse(p.TextContent, CultureInfo.InvariantCulture));
        Assert.Contains($"总分 {points - deductions}", page.Find("[data-testid=score-total]").TextContent, StringComparison.Ordinal);
        Assert.Contains("指标得分 82.5 − 扣分 4 = 总分 78.5", page.Find("[data-testid=score-sum]").TextContent, StringComparison.Ordinal);
        Assert.Contains("按实际/目标比例得分", page.Markup, StringComparison.Ordinal);
        Assert.Contains("2026-10 服务时长 45", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_county_admin_publishes_a_period_once_and_the_second_time_reads_the_apis_refusal_in_plain_words()
    {
        SignIn("county_admin", "321324");
        Api.Answer(HttpMethod.Get, "/api/v1/stations/321324/subtree", new DivisionNames.StationNode("321324", "泗洪县新时代文明实践中心", "CountyCentre", "Active",
            [new("321324104", "青阳镇新时代文明实践所", "Institute", "Active", [])]));
        Api.Answer(HttpMethod.Get, $"/api/v1/assessment/rankings?period={_period}&tier=Institute&under=321324", Ranking(_period, "Institute", "321324",
            new RankingItem(1, "321324104", "青阳镇新时代文明实践所", 80m, 3, "三星")));
        PeriodStatus? published = null;
        Api.Answer(HttpMethod.Get, $"/api/v1/assessment/periods/{_period}?county=321324", _ =>
            FakeApi.Json(published ?? new PeriodStatus("321324", _period, false, null, null, null, null, null)));
        Api.Answer(HttpMethod.Post, $"/api/v1/assessment/periods/{_period}/publish", _ =>
        {
            if (published is not null)
            {
                return new HttpResponseMessage(System.Net.HttpStatusCode.Conflict)
                {
                    Content = new StringContent($$"""{"title":"Conflict","status":409,"detail":"Period {{_period}} of county 321324 is published: its results are frozen and cannot be published again or changed."}""",
                        System.Text.Encoding.UTF8, "application/problem+json"),
                };
            }
            published = new PeriodStatus("321324", _period, true, new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero), "泗洪县管理员", Scheme, 2, 1);
            return FakeApi.Json(published, System.Net.HttpStatusCode.Created);
        });
        var page = Render<AssessmentPage>();
        page.WaitForAssertion(() => Assert.Contains("尚未公布", page.Find("[data-testid=publish-status]").TextContent, StringComparison.Ordinal));
        var publish = () => page.FindAll("button").First(b => b.TextContent.Contains($"公布 {_period} 考核结果", StringComparison.Ordinal));

        publish().Click();
        page.WaitForAssertion(() => Assert.Contains("2026-11-02 09:30 由 泗洪县管理员 公布", page.Find("[data-testid=publish-status]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=publish-refusal]"));

        publish().Click();
        page.WaitForAssertion(() => Assert.Contains("结果已冻结，不能再次公布", page.Find("[data-testid=publish-refusal]").TextContent, StringComparison.Ordinal));
        Assert.Contains("cannot be published again", page.Find(".mud-alert-filled-error, [role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Api.Requests.Count(r => r.Method == HttpMethod.Post));
    }
}
