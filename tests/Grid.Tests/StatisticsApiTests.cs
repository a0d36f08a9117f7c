using System.Net;
using System.Text.Json;
using MiniExcelLibs;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Grid.Tests.StatisticsCases;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Case statistics over HTTP, on SQLite (the standalone host) and on PostgreSQL, where the table is one GROUP BY.
/// Each test seeds its own township's February (see <see cref="StatisticsCases.SeedFebruaryAsync"/>) with the clock at
/// 2026-03-04 09:00 China time.
/// </summary>
public abstract class StatisticsApiTestsBase<TFactory>(TFactory factory) where TFactory : ServiceFactory<GridModule>
{
    private const string Path = "/api/v1/grid/statistics";

    [Fact]
    public async Task Counts_each_grid_of_a_village_in_a_period_of_China_days()
    {
        const string township = "321324120";
        await SeedFebruaryAsync(factory, township);
        using var client = factory.CreateClient();

        var report = await client.GetAsync($"{Path}?under={township}201&from=2026-02-01&to=2026-02-28&groupBy=grid", HttpStatusCode.OK);

        var rows = Rows(report);
        Assert.Equal([$"{township}201", $"{township}201-01", $"{township}201-02", $"{township}201-03"], rows.Keys);
        // Reported 3 (one rejected); closed 3 (one reported in January), 2 on time; one overdue and reworked; median of 24, 48 and 504 hours.
        Assert.Equal(new Figures(3, 3, 2, 1, 1, 0, 0, 48.0), rows[$"{township}201-01"]);
        // The case reported ten minutes into 1 March (China time) is not February's, though it is in UTC.
        Assert.Equal(new Figures(2, 0, 0, 1, 0, 1, 1, null), rows[$"{township}201-02"]);
        Assert.Equal(new Figures(0, 0, 0, 0, 0, 0, 0, null), rows[$"{township}201-03"]);
        // Found outside every grid: the village's own row, open and past its due time.
        Assert.Equal(new Figures(1, 0, 0, 1, 0, 0, 0, null), rows[$"{township}201"]);
        Assert.Contains("网格外", Row(report, $"{township}201").GetProperty("name").GetString());
        Assert.Equal("一组网格", Row(report, $"{township}201-01").GetProperty("name").GetString());
        Assert.Equal(new Figures(6, 3, 2, 3, 1, 1, 1, 48.0), FiguresOf(report.GetProperty("totals")));
    }

    [Fact]
    public async Task Groups_by_village_and_by_township_with_the_same_totals()
    {
        const string township = "321324122";
        await SeedFebruaryAsync(factory, township);
        using var client = factory.CreateClient();
        const string february = "from=2026-02-01&to=2026-02-28";

        var villages = await client.GetAsync($"{Path}?under={township}&{february}&groupBy=village", HttpStatusCode.OK);
        var townships = await client.GetAsync($"{Path}?under=321324&{february}&groupBy=township", HttpStatusCode.OK);
        var byDefault = await client.GetAsync($"{Path}?under={township}&{february}", HttpStatusCode.OK);

        var expected = new Figures(6, 3, 2, 3, 1, 1, 1, 48.0);
        Assert.Equal(expected, Rows(villages)[$"{township}201"]);
        Assert.Equal("王集村", Row(villages, $"{township}201").GetProperty("name").GetString());
        // A village where nothing was reported still has its row.
        Assert.Equal(new Figures(0, 0, 0, 0, 0, 0, 0, null), Rows(villages)[$"{township}202"]);
        Assert.Equal(expected, FiguresOf(villages.GetProperty("totals")));
        Assert.Equal(expected, Rows(townships)[township]);
        Assert.Equal(new Figures(1, 0, 0, 1, 0, 0, 0, null), Rows(townships)[NextTownship(township)]);
        // Under a township, rows are its villages unless asked otherwise.
        Assert.Equal("village", byDefault.GetProperty("groupBy").GetString());
        Assert.Equal(Rows(villages), Rows(byDefault));
    }

    [Fact]
    public async Task A_series_per_month_week_or_day_adds_up_to_the_table_of_the_same_period()
    {
        const string township = "321324124";
        await SeedFebruaryAsync(factory, township);
        using var client = factory.CreateClient();
        var village = $"{township}201";

        var months = await client.GetAsync($"{Path}/series?under={village}&from=2026-01-01&to=2026-03-31&interval=month", HttpStatusCode.OK);
        var table = await client.GetAsync($"{Path}?under={village}&from=2026-01-01&to=2026-03-31", HttpStatusCode.OK);
        var weeks = await client.GetAsync($"{Path}/series?under={village}&from=2026-02-01&to=2026-02-28&interval=week", HttpStatusCode.OK);
        var days = await client.GetAsync($"{Path}/series?under={village}&from=2026-02-27&to=2026-03-01&interval=day", HttpStatusCode.OK);

        Assert.Equal(["2026-01", "2026-02", "2026-03"], Labels(months));
        Assert.Equal([1, 6, 1], Series(months, "reported"));
        Assert.Equal([0, 3, 0], Series(months, "closed"));
        Assert.Equal([0, 3, 1], Series(months, "overdue"));
        Assert.Equal([null, 48.0, null], Series(months, "medianHandlingHours"));
        var totals = table.GetProperty("totals");
        foreach (var figure in new[] { "reported", "closed", "closedOnTime", "overdue", "reworked", "extended", "escalated" })
        {
            Assert.Equal(totals.GetProperty(figure).GetInt32(), Series(months, figure).Sum(v => v ?? 0));
        }
        // 1 February 2026 is a Sunday: its week starts on Monday 26 January.
        Assert.Equal(["2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"], Labels(weeks));
        Assert.Equal([0, 2, 2, 0, 2], Series(weeks, "reported"));
        Assert.Equal(["2026-02-27", "2026-02-28", "2026-03-01"], Labels(days));
        Assert.Equal([1, 1, 1], Series(days, "reported"));
    }

    [Fact]
    public async Task The_xlsx_holds_the_table_with_chinese_headers_and_a_totals_row()
    {
        const string township = "321324126";
        await SeedFebruaryAsync(factory, township);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"{Path}.xlsx?under={township}201&from=2026-02-01&to=2026-02-28&groupBy=grid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var book = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcel.Query(book, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["网格", "名称", "上报", "结案", "按时结案", "超期", "返工", "延期", "升级", "处置时长中位数（小时）"], rows[0].Keys);
        Assert.Equal([$"{township}201", $"{township}201-01", $"{township}201-02", $"{township}201-03", "合计"], rows.Select(r => r["网格"]?.ToString()));
        var first = rows.Single(r => r["网格"]?.ToString() == $"{township}201-01");
        Assert.Equal(("一组网格", 3, 2, 48.0), (first["名称"]?.ToString(), Convert.ToInt32(first["上报"]), Convert.ToInt32(first["按时结案"]),
            Convert.ToDouble(first["处置时长中位数（小时）"])));
        var totals = rows[^1];
        Assert.Equal((6, 3, 3), (Convert.ToInt32(totals["上报"]), Convert.ToInt32(totals["结案"]), Convert.ToInt32(totals["超期"])));
    }

    [Fact]
    public async Task A_caller_sees_only_the_cases_within_their_scope()
    {
        const string township = "321324128";
        await SeedFebruaryAsync(factory, township);
        const string february = "from=2026-02-01&to=2026-02-28";
        using var townshipAdmin = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, township);
        using var gridWorker = factory.CreateClient(PracticeMeshRoles.GridWorker, $"{township}202");
        using var resident = factory.CreateClient(PracticeMeshRoles.Resident, $"{township}201");

        // Asking for the county, the township admin gets their township only.
        var county = await townshipAdmin.GetAsync($"{Path}?under=321324&{february}&groupBy=township", HttpStatusCode.OK);
        var neighbour = await townshipAdmin.GetAsync($"{Path}?under={NextTownship(township)}&{february}", HttpStatusCode.OK);
        var series = await townshipAdmin.GetAsync($"{Path}/series?under={NextTownship(township)}&{february}", HttpStatusCode.OK);
        var ownVillage = await gridWorker.GetAsync($"{Path}?{february}&groupBy=village", HttpStatusCode.OK);

        Assert.Equal([township], Rows(county).Keys);
        Assert.Empty(Rows(neighbour));
        Assert.Equal(0, neighbour.GetProperty("totals").GetProperty("reported").GetInt32());
        Assert.Equal([0], Series(series, "reported"));
        // A grid worker of the village with no grids sees its village, where nothing was reported.
        Assert.Equal([$"{township}202"], Rows(ownVillage).Keys);
        Assert.Equal(0, ownVillage.GetProperty("totals").GetProperty("reported").GetInt32());
        // Residents report cases; they do not read the statistics.
        await resident.GetAsync($"{Path}?{february}", HttpStatusCode.Forbidden);
    }

    private sealed record Figures(int Reported, int Closed, int ClosedOnTime, int Overdue, int Reworked, int Extended, int Escalated, double? Median);

    private static Figures FiguresOf(JsonElement row)
    {
        int Count(string name) => row.GetProperty(name).GetInt32();
        var median = row.GetProperty("medianHandlingHours");
        return new Figures(Count("reported"), Count("closed"), Count("closedOnTime"), Count("overdue"), Count("reworked"), Count("extended"),
            Count("escalated"), median.ValueKind == JsonValueKind.Null ? null : median.GetDouble());
    }

    private static JsonElement Row(JsonElement report, string code) =>
        report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);

    private static Dictionary<string, Figures> Rows(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, FiguresOf);

    private static List<string> Labels(JsonElement series) => [.. series.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)];

    private static List<double?> Series(JsonElement series, string name) =>
        [.. series.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name)
            .GetProperty("data").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];
}

public sealed class StatisticsApiTests(GridFactory factory) : StatisticsApiTestsBase<GridFactory>(factory), IClassFixture<GridFactory>;

public sealed class PostgresStatisticsApiTests(PostgresGridFactory factory) : StatisticsApiTestsBase<PostgresGridFactory>(factory), IClassFixture<PostgresGridFactory>;

/// <summary>Bad statistics requests: a 400 naming the field, before anything is counted.</summary>
public sealed class StatisticsInputTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Theory]
    [InlineData("/statistics?from=2026-13-01&to=2026-12-31", "from")]
    [InlineData("/statistics?from=2026-02-01&to=28.02.2026", "to")]
    [InlineData("/statistics?from=2026-03-01&to=2026-02-01", "from")]
    [InlineData("/statistics?from=2025-01-01&to=2026-01-02", "to")]
    [InlineData("/statistics?from=0001-01-01&to=2026-01-02", "from")]
    [InlineData("/statistics?groupBy=county", "groupBy")]
    [InlineData("/statistics?under=3213x4", "under")]
    [InlineData("/statistics/series?interval=year", "interval")]
    [InlineData("/statistics/series?from=2026-02-30", "from")]
    [InlineData("/statistics.xlsx?groupBy=team", "groupBy")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string field)
    {
        using var client = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"/api/v1/grid{query}", HttpStatusCode.BadRequest), field);
    }

    [Fact]
    public async Task Without_dates_it_counts_this_month_so_far()
    {
        using var client = factory.CreateClient();

        var report = await client.GetAsync("/api/v1/grid/statistics?under=321324130", HttpStatusCode.OK);

        // The factory's clock stands at 2026-03-04 09:00 China time.
        Assert.Equal(("2026-03-01", "2026-03-04"), (report.GetProperty("from").GetString(), report.GetProperty("to").GetString()));
    }
}
