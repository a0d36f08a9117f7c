using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Pages.Volunteers;

namespace PracticeMesh.WebConsole.Tests;

public sealed class VolunteersPagesTests : ConsoleTestContext
{
    private const string Township = "321324104";
    private const string FirstPage = $"/api/v1/volunteers?under={Township}&offset=0&limit=20";

    public VolunteersPagesTests() => SignIn("township_admin", Township);

    private static VolunteerRow Volunteer(string name, string status = "Approved", string mobile = "138****4501", string idCard = "321324********0026") =>
        new(Guid.NewGuid(), name, "321324104202", status, idCard, mobile, "Female", 1985, "PartyMember", ["Cadre"], [], 1, DateTimeOffset.UtcNow, null, null);

    private void AnswerPage(string pathAndQuery, int total, params VolunteerRow[] rows) =>
        Api.Answer(HttpMethod.Get, pathAndQuery, _ =>
        {
            var response = FakeApi.Json(rows.ToList());
            response.Headers.Add("X-Total-Count", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        });

    [Fact]
    public void The_search_asks_for_the_persons_division_a_page_at_a_time_and_shows_personal_data_masked_as_the_api_gave_it()
    {
        AnswerPage(FirstPage, 1, Volunteer("王芳"));

        var page = Render<VolunteersPage>();

        page.WaitForAssertion(() => Assert.Equal("138****4501", page.Find("[data-testid=mobile]").TextContent.Trim()));
        Assert.Equal("321324********0026", page.Find("[data-testid=id-card]").TextContent.Trim());
        Assert.Contains(Api.Requests, r => r.PathAndQuery == FirstPage);
    }

    [Fact]
    public void A_status_in_the_query_string_and_a_typed_name_become_the_apis_filter()
    {
        AnswerPage($"/api/v1/volunteers?under={Township}&status=Pending&offset=0&limit=20", 1, Volunteer("刘洋", "Pending"));
        AnswerPage($"/api/v1/volunteers?under={Township}&q=%E5%88%98&status=Pending&offset=0&limit=20", 1, Volunteer("刘洋", "Pending"));

        Services.GetRequiredService<NavigationManager>().NavigateTo("/volunteers?status=pending");
        var page = Render<VolunteersPage>();
        page.WaitForAssertion(() => Assert.Contains("刘洋", page.Find("tbody").TextContent, StringComparison.Ordinal));

        page.FindAll("input")[0].Input("刘");

        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.PathAndQuery.Contains("q=%E5%88%98&status=Pending", StringComparison.Ordinal)));
    }

    [Fact]
    public void Behind_true_lists_the_volunteers_behind_on_their_yearly_hours()
    {
        Api.Answer(HttpMethod.Get, $"/api/v1/volunteers/obligations/behind?under={Township}", new List<VolunteerObligation>
        {
            new(Guid.NewGuid(), "陈静", "321324104202", 2026, 20m, 2m, 18m, 16.5m, true),
        });

        Services.GetRequiredService<NavigationManager>().NavigateTo("/volunteers?behind=true");
        var page = Render<VolunteersPage>();

        page.WaitForAssertion(() => Assert.Contains("陈静", page.Find("tbody").TextContent, StringComparison.Ordinal));
        Assert.Contains("16.5", page.Find("tbody").TextContent, StringComparison.Ordinal);
        Assert.Contains("年度时长落后的志愿者", page.Find("h1").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_fetches_every_page_of_the_filter_and_saves_one_workbook()
    {
        AnswerPage(FirstPage, 250, Volunteer("王芳"));
        var first = Enumerable.Range(0, 200).Select(i => Volunteer($"志愿者{i}")).ToArray();
        var rest = Enumerable.Range(200, 50).Select(i => Volunteer($"志愿者{i}")).ToArray();
        AnswerPage($"/api/v1/volunteers?under={Township}&offset=0&limit=200", 250, first);
        AnswerPage($"/api/v1/volunteers?under={Township}&offset=200&limit=200", 250, rest);
        var page = Render<VolunteersPage>();
        page.WaitForAssertion(() => Assert.Contains("王芳", page.Find("tbody").TextContent, StringComparison.Ordinal));

        page.FindAll("button").First(b => b.TextContent.Contains("导出", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "practiceMesh.saveFile"));
        Assert.Contains(Api.Requests, r => r.PathAndQuery.EndsWith("offset=200&limit=200", StringComparison.Ordinal));
        var save = JSInterop.Invocations.Single(i => i.Identifier == "practiceMesh.saveFile");
        Assert.EndsWith(".xlsx", (string)save.Arguments[0]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Approving_an_applicant_posts_the_approval_and_refreshes_the_queue()
    {
        var applicant = Volunteer("赵敏", "Pending");
        var queue = $"/api/v1/volunteers?under={Township}&status=Pending&offset=0&limit=20";
        var approved = false;
        Api.Answer(HttpMethod.Get, queue, _ =>
        {
            var response = FakeApi.Json(approved ? new List<VolunteerRow>() : [applicant]);
            response.Headers.Add("X-Total-Count", approved ? "0" : "1");
            return response;
        });
        Api.Answer(HttpMethod.Post, $"/api/v1/volunteers/{applicant.Id}/approve", _ =>
        {
            approved = true;
            return FakeApi.Json(applicant with { Status = "Approved" });
        });
        var page = Render<ReviewPage>();
        page.WaitForAssertion(() => Assert.Contains("赵敏", page.Find("tbody").TextContent, StringComparison.Ordinal));

        page.Find("button[aria-label='通过 赵敏 的注册']").Click();

        page.WaitForAssertion(() => Assert.Contains("已通过 赵敏 的注册。", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.Contains("没有待审核的注册申请", page.Find("tbody").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejecting_asks_for_a_reason_and_a_refusal_is_said_in_plain_words()
    {
        var applicant = Volunteer("赵敏", "Pending");
        AnswerPage($"/api/v1/volunteers?under={Township}&status=Pending&offset=0&limit=20", 1, applicant);
        Api.Problem(HttpMethod.Post, $"/api/v1/volunteers/{applicant.Id}/reject", (int)HttpStatusCode.Conflict, "Conflict", "该志愿者已审核。");
        var page = Render<ReviewPage>();
        page.WaitForAssertion(() => Assert.Contains("赵敏", page.Find("tbody").TextContent, StringComparison.Ordinal));

        page.Find("button[aria-label='驳回 赵敏 的注册']").Click();
        page.FindAll("input")[0].Change("非本村常住人员");
        page.FindAll("button").First(b => b.TextContent.Contains("确认驳回", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("该志愿者已审核。", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Contains(Api.Requests, r => r.Method == HttpMethod.Post && r.Body!.Contains("非本村常住人员", StringComparison.Ordinal));
    }

    [Fact]
    public void A_volunteers_page_shows_the_ledger_and_posts_a_correction_with_its_reason()
    {
        var volunteer = Volunteer("王芳");
        var entry = new LedgerEntry(Guid.NewGuid(), "ActivityCredit", Guid.NewGuid(), 2m, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, null);
        Api.Answer(HttpMethod.Get, $"/api/v1/volunteers/{volunteer.Id}", volunteer);
        Api.Answer(HttpMethod.Get, $"/api/v1/volunteers/{volunteer.Id}/hours", new HourLedger(volunteer.Id, 2m, 1, [entry]));
        Api.Answer(HttpMethod.Get, $"/api/v1/volunteers/{volunteer.Id}/hours/correction-requests", new List<CorrectionRequestRow>());
        Api.Answer(HttpMethod.Post, $"/api/v1/volunteers/{volunteer.Id}/hours/corrections", entry with { Id = Guid.NewGuid(), Kind = "Correction", Hours = -0.5m });

        var page = Render<VolunteerPage>(p => p.Add(x => x.Id, volunteer.Id));
        page.WaitForAssertion(() => Assert.Contains("累计 2 小时", page.Find("[data-testid=ledger-total]").TextContent, StringComparison.Ordinal));
        Assert.Equal("138****4501", page.Find("[data-testid=mobile]").TextContent);

        page.FindAll("button").First(b => b.TextContent.Trim() == "更正").Click();
        page.FindAll("input")[0].Change("-0.5");
        page.FindAll("input")[1].Change("提前离场");
        page.FindAll("button").First(b => b.TextContent.Contains("保存", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("/hours/corrections", StringComparison.Ordinal)));
        var body = Api.Requests.Single(r => r.Method == HttpMethod.Post).Body!;
        Assert.Contains($"\"entryId\":\"{entry.Id}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"hours\":-0.5", body, StringComparison.Ordinal);
        Assert.Contains("提前离场", body, StringComparison.Ordinal);
    }
}
