using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Components.Pages.Grid;

namespace PracticeMesh.WebConsole.Tests;

public sealed class GridBoardTests : ConsoleTestContext
{
    /// <summary>How long a page may take to show what its API answered, on a busy machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public GridBoardTests()
    {
        // Pages take the person's tokens, which resolve the issuer's metadata; a test session's token never expires,
        // so the metadata is never read.
        Services.AddSingleton(new IssuerMetadata(null!));
    }

    private static readonly DateTimeOffset Now = new(2026, 3, 4, 10, 0, 0, TimeSpan.FromHours(8));

    internal static GridCaseItem Case(string number, string status, DateTimeOffset? dueAt, bool overdue = false, int escalation = 0,
        string village = "321324104202", string category = "road-damage") => new(
        Guid.NewGuid(), number, village, village + "-01", false, category, $"{number} 路面塌陷", "三组路口", null, null, status,
        status is "Reported" or "Accepted" or "Dispatched" or "Handled" or "Verified", null, null,
        Now.AddHours(-5), Now.AddHours(-1), "Acceptance", dueAt, overdue, overdue, 0, 0, null, escalation,
        escalation > 0 ? village : null, null, null, null, 1);

    [Fact]
    public void Time_left_counts_to_the_apis_due_time_and_turns_overdue_when_the_api_says_so_or_the_time_passes()
    {
        var due = CaseClock.Of(Case("A", "Reported", Now.AddHours(3).AddMinutes(20)), Now);
        Assert.True(due.HasLimit);
        Assert.False(due.Overdue);
        Assert.Equal("3小时20分", CaseClock.Span(due.Remaining, english: false));

        var late = CaseClock.Of(Case("B", "Dispatched", Now.AddHours(-26), overdue: true), Now);
        Assert.True(late.Overdue);
        Assert.Equal("1天2小时", CaseClock.Span(late.Remaining, english: false));

        // The limit passed after the API answered: overdue all the same.
        Assert.True(CaseClock.Of(Case("C", "Accepted", Now.AddMinutes(-1), overdue: false), Now).Overdue);
        Assert.True(CaseClock.Of(Case("D", "Handled", Now.AddMinutes(5)), Now).Soon);
        Assert.False(CaseClock.Of(Case("E", "Closed", Now.AddHours(-3)), Now).HasLimit);
    }

    [Fact]
    public void The_board_has_a_column_per_status_in_the_apis_order_with_ended_cases_under_closed_and_overdue_ones_first()
    {
        var board = CaseBoard.Group(
        [
            Case("R1", "Reported", Now.AddHours(5)),
            Case("R2", "Reported", Now.AddHours(-1), overdue: true),
            Case("R3", "Reported", Now.AddHours(2), escalation: 1),
            Case("D1", "Dispatched", Now.AddHours(8)),
            Case("X1", "Rejected", null),
            Case("M1", "Merged", null),
            Case("C1", "Closed", null),
        ], Now);

        Assert.Equal(["Reported", "Accepted", "Dispatched", "Handled", "Verified", "Closed"], board.Select(c => c.Column));
        Assert.Equal(["R2", "R3", "R1"], board[0].Cases.Select(c => c.Number));
        Assert.Empty(board[1].Cases);
        Assert.Equal(["D1"], board[2].Cases.Select(c => c.Number));
        Assert.Equal(["C1", "M1", "X1"], board[5].Cases.Select(c => c.Number).Order());
    }

    [Fact]
    public void The_board_shows_each_case_in_its_column_red_when_overdue_with_escalations_marked()
    {
        SignIn("county_admin", "321324");
        var now = DateTimeOffset.UtcNow;
        Api.Answer(HttpMethod.Get, "/api/v1/grid/categories", new[] { new GridCategory("road-damage", "道路损坏", null, false, true) })
            .Answer(HttpMethod.Get, "/api/v1/grid/cases?under=321324&page=1&pageSize=60", new GridCasePage(
            [
                Case("20260304-321324104-AAAAA", "Reported", now.AddHours(-2), overdue: true, escalation: 3) with { ReportedAt = now.AddHours(-9) },
                Case("20260304-321324104-BBBBB", "Dispatched", now.AddHours(3).AddMinutes(20).AddSeconds(30)),
            ], 1, 60, 2));

        var board = Render<GridCases>();

        board.WaitForAssertion(() => Assert.Equal(2, board.FindAll("[data-testid=case-card]").Count), Patience);
        var reported = board.Find("[data-testid=column-Reported]");
        Assert.Contains("上报 (1)", reported.TextContent, StringComparison.Ordinal);
        Assert.Contains("道路损坏", reported.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", reported.QuerySelector("[data-testid=time-left]")!.GetAttribute("data-overdue"));
        Assert.Contains("超期 2小时", reported.TextContent, StringComparison.Ordinal);
        Assert.Contains("县级督办", reported.TextContent, StringComparison.Ordinal);
        var dispatched = board.Find("[data-testid=column-Dispatched]");
        Assert.Contains("剩余 3小时20分", dispatched.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("督办", dispatched.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_step_is_shown_in_the_apis_plain_words_and_the_case_stays_as_it_was()
    {
        SignIn("township_admin", "321324104");
        var item = Case("20260304-321324104-CCCCC", "Reported", DateTimeOffset.UtcNow.AddHours(4)) with { History = [] };
        Api.Answer(HttpMethod.Get, "/api/v1/grid/categories", Array.Empty<GridCategory>())
            .Answer(HttpMethod.Get, $"/api/v1/grid/cases/{item.Id}", item)
            .Problem(HttpMethod.Post, $"/api/v1/grid/cases/{item.Id}/accept", 409, "Conflict", "事件已由他人立案，请刷新后再试。");

        var page = Render<GridCaseDetail>(p => p.Add(c => c.Id, item.Id));
        page.WaitForAssertion(() => Assert.Equal("上报", page.Find("[data-testid=case-status]").TextContent), Patience);
        page.FindAll("button").Single(b => b.TextContent.Trim() == "立案").Click();

        page.WaitForAssertion(() => Assert.Contains("事件已由他人立案", page.Find("[role=alert]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("上报", page.Find("[data-testid=case-status]").TextContent);
        Assert.Contains(Api.Requests, r => r.Method == HttpMethod.Post && r.Token == "test-access-token");
    }

    [Fact]
    public void Staff_are_offered_the_steps_of_the_status_and_only_the_handler_marks_a_case_handled()
    {
        var staff = new PracticeMesh.WebConsole.Api.SignedInPerson(Guid.NewGuid().ToString(), "管理员", "county_admin", "321324");
        var worker = Guid.NewGuid();
        var gridWorker = new PracticeMesh.WebConsole.Api.SignedInPerson(worker.ToString(), "网格员", "grid_worker", "321324104202");

        Assert.Equal(["accept", "reject"], CaseSteps.For("Reported", staff, null));
        Assert.Equal(["close"], CaseSteps.For("Verified", staff, worker));
        Assert.Empty(CaseSteps.For("Closed", staff, worker));
        Assert.Equal(["handle"], CaseSteps.For("Dispatched", gridWorker, worker));
        Assert.Empty(CaseSteps.For("Dispatched", gridWorker, Guid.NewGuid()));
        Assert.Empty(CaseSteps.For("Reported", gridWorker, null));
    }
}
