using Bunit;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Pages.Stations;

namespace PracticeMesh.WebConsole.Tests;

public sealed class StationsPagesTests : ConsoleTestContext
{
    private const string Township = "321324104";

    public StationsPagesTests()
    {
        SignIn("township_admin", Township);
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{Township}/subtree", new DivisionNames.StationNode(Township, "青阳镇新时代文明实践所", "Institute", "Active",
        [
            new("321324104201", "大楼社区新时代文明实践站", "Community", "Active", []),
            new("321324104202", "王集村新时代文明实践站", "Village", "Active", []),
        ]));
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/six-haves?under={Township}", new SixHavesReport(3, 1,
        [
            new(Township, "青阳镇新时代文明实践所", "Institute", 4, 5, 6, false),
            new("321324104201", "大楼社区新时代文明实践站", "Community", 6, 6, 6, true),
            new("321324104202", "王集村新时代文明实践站", "Village", 2, 3, 6, false),
        ]));
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/staffing?under={Township}", new StaffingReport(3, 2, 1, 0,
        [
            new(Township, "青阳镇新时代文明实践所", "Institute", 2, 2, 3, true, false, "张书记", null),
            new("321324104201", "大楼社区新时代文明实践站", "Community", 1, 1, 2, true, false, "李站长", null),
            new("321324104202", "王集村新时代文明实践站", "Village", 0, 1, 2, false, false, null, null),
        ]));
    }

    [Fact]
    public void The_tree_lists_every_site_under_the_persons_division_with_its_six_haves_and_staffing()
    {
        var page = Render<StationTreePage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));
        var rows = page.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("大楼社区新时代文明实践站", rows[1], StringComparison.Ordinal);
        Assert.Contains("6/6 达标", rows[1], StringComparison.Ordinal);
        Assert.Contains("王集村新时代文明实践站", rows[2], StringComparison.Ordinal);
        Assert.Contains("2/6 未达标", rows[2], StringComparison.Ordinal);
        Assert.Contains("0/1 未达标", rows[2], StringComparison.Ordinal);
        Assert.Contains("共 3 个所站，六有达标 1 个", page.Find("[data-testid=station-summary]").TextContent, StringComparison.Ordinal);
        // Only the person's own division was asked for.
        Assert.All(Api.Requests, r => Assert.Contains(Township, r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public void Typing_a_name_keeps_the_sites_whose_name_has_it()
    {
        var page = Render<StationTreePage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));

        page.FindAll("input")[0].Input("王集");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Contains("王集村", page.Find("tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stations_page_shows_its_checklist_and_staff()
    {
        const string code = "321324104202";
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{code}", new StationInfo(Guid.NewGuid(), code, code, "Village", "王集村新时代文明实践站", "Village", Township,
            "Active", "王集村村部", null, null, DateTimeOffset.UtcNow));
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{code}/six-haves", new SixHavesChecklist(code, 1, 2, 6, false,
        [
            new("Site", "有场所", "村部二楼120平方米", [], DateTimeOffset.UtcNow,
                new VerificationInfo("Passed", null, "u1", "张书记", Township, DateTimeOffset.UtcNow)),
            new("Team", "有队伍", "志愿服务队 12 人", [], DateTimeOffset.UtcNow,
                new VerificationInfo("Failed", "缺少花名册", "u1", "张书记", Township, DateTimeOffset.UtcNow)),
            new("Rules", "有制度", null, [], null, null),
        ]));
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{code}/staff", new Roster(
            new StaffingRow(code, "王集村新时代文明实践站", "Village", 1, 1, 2, true, false, "王明", null),
            [new StaffMember(Guid.NewGuid(), "王明", "Head", "村党支部书记", DateTimeOffset.UtcNow)]));

        var page = Render<StationPage>(p => p.Add(x => x.Code, code));

        page.WaitForAssertion(() => Assert.Contains("1/6 未达标", page.Find("[data-testid=six-haves-heading]").TextContent, StringComparison.Ordinal));
        Assert.Contains("未通过（缺少花名册）", page.Markup, StringComparison.Ordinal);
        Assert.Contains("尚未提交", page.Markup, StringComparison.Ordinal);
        Assert.Contains("1/1 达标", page.Find("[data-testid=staff-heading]").TextContent, StringComparison.Ordinal);
        Assert.Contains("站长（所长）", page.Markup, StringComparison.Ordinal);
        Assert.Contains("村党支部书记", page.Markup, StringComparison.Ordinal);
    }
}
