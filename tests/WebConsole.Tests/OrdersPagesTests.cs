using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Pages.Orders;

namespace PracticeMesh.WebConsole.Tests;

public sealed class OrdersPagesTests : ConsoleTestContext
{
    private const string Township = "321324104";
    private static readonly TeamRow Team = new(Guid.NewGuid(), "王集村理发志愿队", "321324104202");

    private readonly OrderRow _waiting = Order("上门理发", "Placed");
    private readonly OrderRow _dispatched = Order("作业辅导", "Accepted");
    private readonly OrderRow _done = Order("家电维修", "Rated");

    public OrdersPagesTests()
    {
        SignIn("township_admin", Township);
        Api.Answer(HttpMethod.Get, $"/api/v1/activities/orders?under={Township}", new List<OrderRow> { _waiting, _dispatched, _done });
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{Township}/subtree", new DivisionNames.StationNode(Township, "青阳镇新时代文明实践所", "Institute", "Active",
            [new("321324104202", "王集村新时代文明实践站", "Village", "Active", [])]));
        Api.Answer(HttpMethod.Get, "/api/v1/activities/menu?stationCode=321324104202", new List<ServiceItem>
        {
            new(Guid.NewGuid(), Team.Id, Team.Name, "321324104202", "上门理发", "每月第一个周六为行动不便的老人上门理发", "ConvenienceService"),
        });
        Api.Answer(HttpMethod.Get, $"/api/v1/volunteers/teams?under={Township}", new List<TeamRow> { Team });
    }

    private static OrderRow Order(string title, string status) => new(Guid.NewGuid(), "321324104202", null, false, title, null, status,
        DateTimeOffset.UtcNow.AddDays(-1), null, null, null, false, null, null, null, 0, null, null, null, 0, null);

    [Fact]
    public void Status_waiting_in_the_query_string_lists_only_the_orders_waiting_for_dispatch_beside_the_menu()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/orders?status=waiting");
        var page = Render<OrdersPage>();

        page.WaitForAssertion(() => Assert.Contains("每月第一个周六", page.Markup, StringComparison.Ordinal));
        var orders = page.FindAll("table")[0].QuerySelectorAll("tbody tr");
        Assert.Single(orders);
        Assert.Contains("上门理发", orders[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("待派单", orders[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_board_puts_each_order_in_its_column_and_dispatching_posts_the_team_and_a_due_time()
    {
        Api.Answer(HttpMethod.Post, $"/api/v1/activities/orders/{_waiting.Id}/dispatch", _waiting with { Status = "Dispatched", TeamId = Team.Id });
        Services.GetRequiredService<NavigationManager>().NavigateTo("/orders/board?status=waiting");
        var page = Render<OrderBoardPage>();
        page.WaitForAssertion(() => Assert.Contains("上门理发", page.Find("[data-testid=column-waiting]").TextContent, StringComparison.Ordinal));
        Assert.Contains("作业辅导", page.Find("[data-testid=column-dispatched]").TextContent, StringComparison.Ordinal);
        Assert.Contains("家电维修", page.Find("[data-testid=column-done]").TextContent, StringComparison.Ordinal);

        page.Find("button[aria-label='派单：上门理发']").Click();
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.PathAndQuery == $"/api/v1/volunteers/teams?under={Township}"));
        page.WaitForAssertion(() => page.Find($"button[aria-label='派给 {Team.Name}']").Click());

        page.WaitForAssertion(() => Assert.Contains("“上门理发”已派单。", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        var body = Api.Requests.Single(r => r.Method == HttpMethod.Post).Body!;
        Assert.Contains($"\"teamId\":\"{Team.Id}\"", body, StringComparison.Ordinal);
        Assert.Contains("+08:00", body, StringComparison.Ordinal);
    }
}
