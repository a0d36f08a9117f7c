using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Components.Pages;
using PracticeMesh.WebConsole.Components.Pages.Dashboard;
using PracticeMesh.WebConsole.Components.Shared;

namespace PracticeMesh.WebConsole.Tests;

public sealed class DashboardTests : ConsoleTestContext
{
    private const string Township = "321324104";
    private static readonly DateOnly Today = DashboardReads.Today(TimeProvider.System);

    /// <summary>The page reads a dozen answers and renders charts: on a busy machine that takes more than a second.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public DashboardTests()
    {
        // The session's token is valid for an hour, so identity's metadata (for a refresh) is never read; it must only be constructible.
        Services.AddSingleton(new IssuerMetadata(null!));
        // Interactive on the server, as the console runs its pages: the charts and the map wait for it.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    /// <summary>
    /// Signs in as <see cref="ConsoleTestContext.SignIn"/> does, then sets the claims again: the test double's SetRoles
    /// replaces the claims set before it, and the console reads the person (and their session) from those claims.
    /// </summary>
    private void SignInAs(string role, string division)
    {
        SignIn(role, division);
        Authorization.SetClaims(
            new System.Security.Claims.Claim("sub", Guid.NewGuid().ToString()),
            new System.Security.Claims.Claim("name", "测试人员"),
            new System.Security.Claims.Claim("role", role),
            new System.Security.Claims.Claim("division", division),
            new System.Security.Claims.Claim(ConsoleClaims.SessionId, SessionId));
    }

    private void AnswerTownship()
    {
        Api.Answer(HttpMethod.Get, $"/api/v1/stations/{Township}/subtree", new
        {
            code = Township, name = "青阳镇新时代文明实践所", kind = "Institute", status = "Active",
            children = new[] { new { code = "321324104202", name = "王集村新时代文明实践站", kind = "Village", status = "Active", children = Array.Empty<object>() } },
        });
        Api.Answer(HttpMethod.Get, DashboardReads.StationCadence(Township, Today), new
        {
            under = Township, month = DashboardReads.MonthText(Today), required = 2, stationsConsidered = 5, stationsMet = 3,
            below = new[] { new { stationCode = "321324104201", countedActivities = 1, required = 2 }, new { stationCode = "321324104202", countedActivities = 0, required = 2 } },
        });
        Api.Answer(HttpMethod.Get, DashboardReads.OpenCases(Township), new { items = Array.Empty<object>(), page = 1, pageSize = 1, total = 7 });
        Api.Answer(HttpMethod.Get, DashboardReads.Obligations(Township, Today), new
        {
            year = Today.Year, under = Township, groups = new[]
            {
                new { key = "Cadre", volunteers = 4, withObligation = 4, met = 1, behind = 3, requiredHours = 80m, doneHours = 12.5m },
                new { key = "PartyApplicant", volunteers = 2, withObligation = 2, met = 0, behind = 2, requiredHours = 50m, doneHours = 3m },
                new { key = "PromotionCandidate", volunteers = 1, withObligation = 1, met = 0, behind = 1, requiredHours = 25m, doneHours = 0m },
                new { key = "None", volunteers = 10, withObligation = 0, met = 0, behind = 0, requiredHours = 0m, doneHours = 40m },
            },
        });
        Api.Problem(HttpMethod.Get, DashboardReads.Orders(Township), 403, "Forbidden", "您没有查看点单的权限。");
    }

    [Fact]
    public void A_figure_shows_the_apis_number_and_links_to_its_list_with_a_filter()
    {
        SignInAs("township_admin", Township);
        AnswerTownship();
        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=figure-stations-value]").TextContent.Trim()), Patience);
        Assert.Contains("共 5 个", page.Find("[data-testid=figure-stations]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/activities?cadence=below&month={DashboardReads.MonthText(Today)}", page.Find("[data-testid=figure-stations-link]").GetAttribute("href"));
        Assert.Equal("7", page.Find("[data-testid=figure-open-cases-value]").TextContent.Trim());
        Assert.Equal("/grid/cases?open=true", page.Find("[data-testid=figure-open-cases-link]").GetAttribute("href"));
        // Candidates gather party applicants and promotion candidates; hours add every volunteer's once.
        Assert.Equal("3", page.Find("[data-testid=figure-behind-Candidate-value]").TextContent.Trim());
        Assert.Equal($"/volunteers?behind=true&category=Candidate&year={Today.Year}", page.Find("[data-testid=figure-behind-Candidate-link]").GetAttribute("href"));
        Assert.Equal("55.5", page.Find("[data-testid=figure-hours-value]").TextContent.Trim());
        Assert.Contains("青阳镇", page.Find("h1").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_figure_the_api_refuses_says_why_and_the_others_still_show()
    {
        SignInAs("township_admin", Township);
        AnswerTownship();
        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("您没有查看点单的权限", page.Find("[data-testid=figure-orders]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-testid=figure-orders-link]"));
        Assert.Equal("7", page.Find("[data-testid=figure-open-cases-value]").TextContent.Trim());
    }

    [Fact]
    public void A_township_admins_dashboard_asks_only_for_their_township()
    {
        SignInAs("township_admin", Township);
        AnswerTownship();
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.PathAndQuery.StartsWith("/api/v1/grid/grids/geojson", StringComparison.Ordinal)), Patience);
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.PathAndQuery.StartsWith("/api/v1/assessment/series", StringComparison.Ordinal)), Patience);

        var reads = Api.Requests.Where(r => r.PathAndQuery.StartsWith("/api/v1/", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
        Assert.True(reads.Count >= 10, string.Join("\n", reads));
        Assert.All(reads, path => Assert.True(
            path.Contains($"under={Township}", StringComparison.Ordinal) || path.Contains($"subject={Township}", StringComparison.Ordinal)
            || path.StartsWith($"/api/v1/stations/{Township}/", StringComparison.Ordinal), path));
        Assert.DoesNotContain(reads, path => path.Contains("321324105", StringComparison.Ordinal) || path.Contains("under=321324&", StringComparison.Ordinal));
        // Stations rank within the township for a township admin.
        Assert.Contains($"/api/v1/assessment/rankings?period={Today.Year}&tier=Station&under={Township}", reads);
    }

    [Fact]
    public void While_prerendering_the_dashboard_shows_its_figures_and_leaves_the_charts_and_the_map_for_later()
    {
        // The first answer a browser gets is prerendered: the figures are in it, the many chart and map reads are not.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        SignInAs("township_admin", Township);
        AnswerTownship();
        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Equal("7", page.Find("[data-testid=figure-open-cases-value]").TextContent.Trim()), Patience);
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=figure-stations-value]").TextContent.Trim()), Patience);
        Assert.DoesNotContain(Api.Requests, r => r.PathAndQuery.StartsWith("/api/v1/assessment/series", StringComparison.Ordinal)
            || r.PathAndQuery.StartsWith("/api/v1/grid/statistics/series", StringComparison.Ordinal)
            || r.PathAndQuery.Contains("geojson", StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid^=chart-]"));
        Assert.NotEmpty(page.FindAll("[role=progressbar]"));
    }

    [Fact]
    public void A_county_admins_charts_are_per_township_by_name()
    {
        SignInAs("county_admin", "321324");
        Api.Answer(HttpMethod.Get, "/api/v1/stations/321324/subtree", new
        {
            code = "321324", name = "泗洪县新时代文明实践中心", kind = "CountyCentre", status = "Active",
            children = new[]
            {
                new { code = "321324104", name = "青阳镇新时代文明实践所", kind = "Institute", status = "Active", children = Array.Empty<object>() },
                new { code = "321324105", name = "双沟镇新时代文明实践所", kind = "Institute", status = "Active", children = Array.Empty<object>() },
            },
        });
        Api.Answer(HttpMethod.Get, "/api/v1/stations/321324/children", new[]
        {
            new { code = "321324104", name = "青阳镇新时代文明实践所", tier = "Township", kind = "Institute" },
            new { code = "321324105", name = "双沟镇新时代文明实践所", tier = "Township", kind = "Institute" },
        });
        foreach (var (township, values) in new[] { ("321324104", new decimal?[] { 2, 3 }), ("321324105", new decimal?[] { 1, null }) })
        {
            Api.Answer(HttpMethod.Get, DashboardReads.IndicatorSeriesPath("concentratedActivities", township, institute: true), new
            {
                indicator = "concentratedActivities", name = "集中实践活动", labels = new[] { $"{Today.Year}-01", $"{Today.Year}-02" }, values,
            });
        }
        var page = Render<Home>();

        page.WaitForAssertion(() => Assert.Contains("青阳镇", page.Find("[data-testid=chart-activities] table").TextContent, StringComparison.Ordinal), Patience);
        var table = page.Find("[data-testid=chart-activities] table");
        Assert.Contains("双沟镇", table.TextContent, StringComparison.Ordinal);
        Assert.Contains("1月", table.TextContent, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/assessment/rankings?period={Today.Year}&tier=Institute&under=321324", Api.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void Teams_behind_the_yearly_rule_are_on_track_when_their_activities_keep_pace_with_the_months()
    {
        var march = new DateOnly(2026, 3, 15);
        var onPace = new TeamCadenceRow(Guid.NewGuid(), "卫生队", 3, 12, 0.8m, 0.7m);
        var slow = new TeamCadenceRow(Guid.NewGuid(), "宣讲队", 2, 12, 0.9m, 0.7m);
        var few = new TeamCadenceRow(Guid.NewGuid(), "文艺队", 5, 12, 0.5m, 0.7m);
        Assert.True(DashboardReads.OnTrack(onPace, march));
        Assert.False(DashboardReads.OnTrack(slow, march));
        Assert.False(DashboardReads.OnTrack(few, march));
        Assert.Equal(8, DashboardReads.TeamsOnTrack(new TeamCadenceList("321324104", 2026, 10, [onPace, slow, few]), march));
    }

    [Fact]
    public void The_projection_puts_the_corners_of_the_features_box_at_the_margins_and_north_up()
    {
        var projection = new GeoProjection([(118.20, 33.45), (118.22, 33.46)]);
        Assert.Equal((GeoProjection.Margin, GeoProjection.Margin), projection.Project(118.20, 33.46));
        var (x, y) = projection.Project(118.22, 33.45);
        Assert.Equal(GeoProjection.Width - GeoProjection.Margin, x, 0.2);
        Assert.Equal(projection.Height - GeoProjection.Margin, y, 0.2);
        // A degree of longitude is shorter than one of latitude at 33°: the 0.02° by 0.01° box is not twice as wide as high.
        Assert.InRange((GeoProjection.Width - 2 * GeoProjection.Margin) / (projection.Height - 2 * GeoProjection.Margin), 1.6, 1.7);
        var (cx, cy) = projection.Project(118.21, 33.455);
        Assert.Equal(GeoProjection.Width / 2, cx, 0.2);
        Assert.Equal(projection.Height / 2, cy, 0.2);
    }

    [Fact]
    public void The_map_draws_grids_and_stations_from_geojson_with_a_title_each_and_a_list_for_screen_readers()
    {
        var grids = JsonSerializer.SerializeToElement(new
        {
            type = "FeatureCollection",
            features = new[]
            {
                new { type = "Feature", id = "321324104202-01", geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { 118.20, 33.45 }, new[] { 118.21, 33.45 }, new[] { 118.21, 33.46 }, new[] { 118.20, 33.45 } } } },
                    properties = new { code = "321324104202-01", name = "王集村第一网格" } },
            },
        });
        var stations = JsonSerializer.SerializeToElement(new
        {
            type = "FeatureCollection",
            features = new object[]
            {
                new { type = "Feature", geometry = new { type = "Point", coordinates = new[] { 118.205, 33.455 } }, properties = new { type = "station", code = "321324104202", name = "王集村新时代文明实践站" } },
                new { type = "Feature", geometry = new { type = "Point", coordinates = new[] { 118.206, 33.452 } }, properties = new { type = "venue", stationCode = "321324104202", name = "王集村文化礼堂" } },
            },
        });
        var features = GeoFeature.Read(grids).Concat(GeoFeature.Read(stations)).ToList();
        var map = Render<GeoMap>(p => p.Add(m => m.Features, features).Add(m => m.Title, "青阳镇"));

        var svg = map.Find("svg[role=img]");
        Assert.Equal("青阳镇地图：实践站 1 个，活动场所 1 个，网格 1 个", svg.GetAttribute("aria-label"));
        Assert.Equal("网格：王集村第一网格", map.Find("path[data-code='321324104202-01'] title").TextContent);
        Assert.Equal("实践站：王集村新时代文明实践站", map.Find("circle[data-code='321324104202'] title").TextContent);
        Assert.Single(map.FindAll("rect[data-code] title"), t => t.TextContent == "活动场所：王集村文化礼堂");
        var station = map.Find("circle[data-code='321324104202']");
        var projection = new GeoProjection(features.SelectMany(f => f.Rings.SelectMany(r => r)));
        var (x, y) = projection.Project(118.205, 33.455);
        Assert.Equal((x, y), (double.Parse(station.GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(station.GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["实践站：王集村新时代文明实践站", "活动场所：王集村文化礼堂", "网格：王集村第一网格"],
            map.FindAll("[data-testid=geo-map-list] li").Select(li => li.TextContent.Trim()));
    }
}
