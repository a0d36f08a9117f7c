using System.Net;
using System.Text;
using Bunit;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Shared;

namespace PracticeMesh.WebConsole.Tests;

public sealed class ApiProblemTests : ConsoleTestContext
{
    [Fact]
    public async Task The_apis_own_detail_and_field_errors_are_what_a_person_reads()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"title":"One or more validation errors occurred.","status":400,"detail":"活动时间不能早于现在。","errors":{"startsAt":["开始时间必须在将来。"]}}""",
                Encoding.UTF8, "application/problem+json"),
        };
        var problem = await ApiProblem.ReadAsync(response, CancellationToken.None);
        Assert.Equal("活动时间不能早于现在。 开始时间必须在将来。", problem.PlainWords);
    }

    [Fact]
    public async Task A_failure_without_problem_details_reads_as_a_plain_sentence_for_its_status_never_a_stack_trace()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent("System.InvalidOperationException: boom\n   at Somewhere()", Encoding.UTF8, "text/plain"),
        };
        var problem = await ApiProblem.ReadAsync(response, CancellationToken.None);
        Assert.Equal("服务暂时不可用，请稍后再试。", problem.PlainWords);
        Assert.DoesNotContain("Exception", problem.PlainWords, StringComparison.Ordinal);
    }

    [Fact]
    public void The_alert_shows_the_words_and_closes()
    {
        var alert = Render<ProblemAlert>(p => p.Add(a => a.Problem, new ApiProblem(409, "Conflict", "活动已被他人修改，请刷新后再试。", null)));
        Assert.Contains("活动已被他人修改", alert.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("泗洪县新时代文明实践中心", "泗洪县")]
    [InlineData("青阳镇新时代文明实践所", "青阳镇")]
    [InlineData("王集村新时代文明实践站", "王集村")]
    [InlineData("城东社区服务中心", "城东社区服务中心")]
    public void A_division_is_named_by_its_station_less_the_stations_kind(string station, string division) =>
        Assert.Equal(division, DivisionNames.ShortName(station));
}
