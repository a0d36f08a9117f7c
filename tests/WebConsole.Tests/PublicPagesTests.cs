using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Components.Pages.Grid;
using PracticeMesh.WebConsole.Components.Pages.Public;

namespace PracticeMesh.WebConsole.Tests;

public sealed class PublicPagesTests : ConsoleTestContext
{
    /// <summary>How long a page may take to show what its API answered, on a busy machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public PublicPagesTests()
    {
        // Pages take the person's tokens, which resolve the issuer's metadata; a test session's token never expires,
        // so the metadata is never read.
        Services.AddSingleton(new IssuerMetadata(null!));
    }

    private const string Token = "0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f";
    private const string Number = "20260304-321324104-K7Q2M";

    private static Open311Request Request(string status, DateTimeOffset? expected) => new(Number, status, null, "道路损坏", "路面塌陷一处",
        "王集村新时代文明实践站 (321324104202)", DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-1), expected, "三组路口");

    private void AnswerToken(Open311Request request) =>
        Api.Answer(HttpMethod.Get, $"/open311/v2/tokens/{Token}.json", new[] { new { service_request_id = Number, token = Token } })
            .Answer(HttpMethod.Get, $"/open311/v2/requests/{Number}.json", new[]
            {
                new
                {
                    service_request_id = request.ServiceRequestId, status = request.Status, status_notes = request.StatusNotes,
                    service_name = request.ServiceName, description = request.Description, agency_responsible = request.AgencyResponsible,
                    requested_datetime = request.RequestedAt, updated_datetime = request.UpdatedAt, expected_datetime = request.ExpectedAt,
                    address = request.Address,
                },
            });

    [Fact]
    public void The_follow_page_words_the_time_limit_while_open_and_says_nothing_of_it_once_finished()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("DueIn", FollowWords.Limit(Request("open", now.AddHours(2)), now)!.Value.Key);
        Assert.Equal("Overdue", FollowWords.Limit(Request("open", now.AddHours(-2)), now)!.Value.Key);
        Assert.Null(FollowWords.Limit(Request("closed", null), now));
        Assert.Equal("Follow_Accepted", FollowWords.Of("Accepted"));
    }

    [Fact]
    public void Anyone_with_the_token_reads_where_the_report_stands_in_plain_words_without_a_token_of_their_own()
    {
        var due = DateTimeOffset.UtcNow.AddDays(1);
        AnswerToken(Request("open", due));

        var page = Render<PublicFollow>(p => p.Add(c => c.Token, Token));

        page.WaitForAssertion(() => Assert.Contains("正在处理", page.Find("[data-testid=follow-status]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("路面塌陷一处", page.Find("[data-testid=follow-description]").TextContent, StringComparison.Ordinal);
        var limit = due.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm");
        Assert.Equal($"应在 {limit} 前完成当前环节", page.Find("[data-testid=follow-limit]").TextContent);
        Assert.Contains("登录后可查看每一步的办理过程", page.Markup, StringComparison.Ordinal);
        Assert.All(Api.Requests, r => Assert.Null(r.Token));
    }

    [Fact]
    public void The_reporter_signed_in_reads_every_step_in_a_residents_words()
    {
        SignIn("resident", "321324104202", "居民");
        AnswerToken(Request("open", DateTimeOffset.UtcNow.AddHours(-1)));
        var item = GridBoardTests.Case(Number, "Accepted", DateTimeOffset.UtcNow.AddHours(-1), overdue: true) with
        {
            History =
            [
                new GridCaseStep(1, "Reported", "Reported", "居民", "resident", DateTimeOffset.UtcNow.AddHours(-3), null),
                new GridCaseStep(2, "Accepted", "Accepted", "管理员", "county_admin", DateTimeOffset.UtcNow.AddHours(-2), "属实"),
            ],
        };
        Api.Answer(HttpMethod.Get, "/api/v1/grid/cases/mine?pageSize=200", new GridCasePage([item], 1, 200, 1))
            .Answer(HttpMethod.Get, $"/api/v1/grid/cases/{item.Id}", item);

        var page = Render<PublicFollow>(p => p.Add(c => c.Token, Token));

        page.WaitForAssertion(() => Assert.Contains("已立案，正在安排网格员", page.Find("[data-testid=follow-status]").TextContent, StringComparison.Ordinal), Patience);
        var history = page.Find("[data-testid=follow-history]").TextContent;
        Assert.Contains("已收到上报，等待核实立案", history, StringComparison.Ordinal);
        Assert.Contains("已立案，正在安排网格员", history, StringComparison.Ordinal);
        Assert.StartsWith("当前环节已超过时限", page.Find("[data-testid=follow-limit]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_token_says_so_plainly()
    {
        Api.Answer(HttpMethod.Get, $"/open311/v2/tokens/{Token}.json", _ => new HttpResponseMessage(System.Net.HttpStatusCode.NotFound)
        {
            Content = new StringContent("""[{"code":404,"description":"No service request for token."}]""", System.Text.Encoding.UTF8, "application/json"),
        });

        var page = Render<PublicFollow>(p => p.Add(c => c.Token, Token));

        page.WaitForAssertion(() => Assert.Contains("没有找到这个查询码对应的上报", page.Markup, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-testid=follow-report]"));
    }

    [Fact]
    public void Reporting_asks_a_visitor_to_sign_in_and_come_back()
    {
        var page = Render<PublicReport>();

        var link = page.WaitForElement("a[href^='/account/signin']", Patience);
        Assert.Equal("/account/signin?returnUrl=%2Fpublic%2Freport", link.GetAttribute("href"));
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void A_signed_in_resident_reports_with_their_own_token_and_is_given_the_follow_code()
    {
        SignIn("resident", "321324104202", "居民");
        Api.Answer(HttpMethod.Get, "/api/v1/stations/directory?under=321324", new[]
            {
                new DirectoryEntry("321324", "泗洪县新时代文明实践中心", "CountyCentre", null),
                new DirectoryEntry("321324104", "青阳镇新时代文明实践所", "Institute", "321324"),
                new DirectoryEntry("321324104202", "王集村新时代文明实践站", "Village", "321324104"),
            })
            .Answer(HttpMethod.Get, "/api/v1/grid/categories", new[] { new CategoryChoice("road-damage", "道路损坏", true) })
            .Answer(HttpMethod.Post, "/api/v1/grid/cases", new ReportedCase(Guid.NewGuid(), Number, "Reported", Guid.Parse(Token), []),
                System.Net.HttpStatusCode.Created);

        var page = Render<PublicReport>();
        page.WaitForAssertion(() => Assert.Contains("王集村（青阳镇）", page.Markup, StringComparison.Ordinal), Patience);
        page.FindAll("button").Single(b => b.TextContent.Trim() == "提交上报").Click();

        page.WaitForAssertion(() => Assert.Equal(Token, page.Find("[data-testid=follow-token]").TextContent), Patience);
        Assert.NotNull(page.Find($"a[href='/public/follow/{Token}']"));
        var post = Assert.Single(Api.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal("test-access-token", post.Token);
        Assert.Contains("\"villageCode\":\"321324104202\"", post.Body, StringComparison.Ordinal);
    }
}
