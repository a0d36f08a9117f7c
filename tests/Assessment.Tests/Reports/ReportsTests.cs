using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Assessment.Reports;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Reports;

/// <summary>The rankings and indicator tables as the files a county downloads, read back as a spreadsheet would; and the charts' series.</summary>
public sealed class ReportsTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private const string Path = "/api/v1/assessment";
    private static readonly string[] IndicatorColumns =
        ["名次", "编码", "名称", "六有达标(值)", "六有达标(得分)", "集中实践活动(值)", "集中实践活动(得分)", "群众评价(值)", "群众评价(得分)", "扣分", "总分", "星级"];

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_rankings_report_holds_each_ranked_station_with_its_scheme_version(string format)
    {
        using var client = factory.CreateClient();

        var (header, rows) = await DownloadAsync(client, $"{Path}/reports/rankings?period=2026-03&tier=Station&under=321324104&format={format}",
            format, ReportsApi.RankingColumns);

        Assert.Equal(ReportsApi.RankingColumns, header);
        Assert.Equal(
        [
            ["1", "321324104201", "王集村新时代文明实践站", "92.5", "5", "五星级实践站", "3"],
            ["2", "321324104202", "青阳街道\"东关\",社区实践站", "80", "4", "四星级实践站", "3"],
            // Text a spreadsheet would run as a formula is written as text.
            ["2", "321324104203", format == "csv" ? "'=1+2" : "=1+2", "80", "4", "四星级实践站", "3"],
        ], rows.Select(r => ReportsApi.RankingColumns.Select(c => r.Cells[c]).ToArray()));
    }

    [Fact]
    public async Task The_XLSX_keeps_totals_and_ranks_as_numbers_a_spreadsheet_can_sum()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"{Path}/reports/rankings?period=2026-03&under=321324104&format=xlsx");
        using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcelLibs.MiniExcel.Query(body, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal([92.5, 80.0, 80.0], rows.Select(r => Assert.IsType<double>(r["总分"])));
        Assert.Equal([1.0, 2.0, 2.0], rows.Select(r => Assert.IsType<double>(r["名次"])));
        Assert.Equal("王集村新时代文明实践站", rows[0]["名称"]);
    }

    [Fact]
    public async Task The_CSV_starts_with_a_byte_order_mark_so_Excel_reads_the_Chinese_headers()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"{Path}/reports/rankings?period=2026-Q1&under=321324104");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rankings-station-2026-Q1-321324104.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("名次,编码,名称", System.Text.Encoding.UTF8.GetString(bytes[3..]));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_indicators_report_has_each_indicators_value_and_points_per_station(string format)
    {
        using var client = factory.CreateClient();

        var (header, rows) = await DownloadAsync(client, $"{Path}/reports/indicators?period=2026-05&tier=Station&under=321324105&format={format}",
            format, IndicatorColumns);

        Assert.Equal(IndicatorColumns, header);
        Assert.Equal(["321324105201", "321324105202", "321324105203"], rows.Select(r => r.Cells["编码"]));
        // May scores its month number on concentrated activities; no rating is an empty cell, not a zero.
        Assert.Equal(["1", "321324105201", "王集村新时代文明实践站", "1", "10", "5", "12.5", "", "0", "2.5", "92.5", "5"],
            IndicatorColumns.Select(c => rows[0].Cells[c] ?? ""));
    }

    [Fact]
    public async Task A_ranking_outside_the_callers_division_is_a_header_without_rows()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        var (header, rows) = await DownloadAsync(township, $"{Path}/reports/rankings?period=2026-03&under=321324105", "csv", ReportsApi.RankingColumns);

        Assert.Equal(ReportsApi.RankingColumns, header);
        Assert.Empty(rows);
    }

    [Fact]
    public async Task A_series_has_a_label_for_every_month_and_no_value_for_months_not_yet_begun()
    {
        using var client = factory.CreateClient();

        // The service's clock stands in March 2026.
        var series = await client.GetAsync<IndicatorSeries>($"{Path}/series?indicator=concentratedActivities&tier=Station&subject=321324104201&from=2025-11&to=2026-06");

        Assert.Equal("集中实践活动", series.Name);
        Assert.Equal(["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"], series.Labels);
        Assert.Equal([11m, 12m, 1m, 2m, 3m, null, null, null], series.Values);
        var ratings = await client.GetAsync<IndicatorSeries>($"{Path}/series?indicator=averageRating&tier=Station&subject=321324104201");
        Assert.Equal(["2026-01", "2026-02", "2026-03"], ratings.Labels);
        Assert.All(ratings.Values, Assert.Null);
    }

    [Fact]
    public async Task A_series_of_an_unknown_station_is_404_and_of_one_outside_the_callers_division_too()
    {
        using var client = factory.CreateClient();
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await client.GetAsync($"{Path}/series?indicator=serviceHours&subject=321324104299", HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/series?indicator=serviceHours&subject=321324105201", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("reports/rankings?period=2026-13", "period")]
    [InlineData("reports/rankings", "period")]
    [InlineData("reports/rankings?period=2026&tier=County", "tier")]
    [InlineData("reports/indicators?period=2026&format=pdf", "format")]
    [InlineData("reports/indicators?period=2026&under=32a", "under")]
    [InlineData("series?indicator=happiness&subject=321324104201", "indicator")]
    [InlineData("series?indicator=serviceHours&subject=3213241042", "subject")]
    [InlineData("series?indicator=serviceHours&tier=Institute&subject=321324104201", "subject")]
    [InlineData("series?indicator=serviceHours&subject=321324104201&from=2026-05&to=2026-02", "from")]
    [InlineData("series?indicator=serviceHours&subject=321324104201&from=2026-Q1", "from")]
    [InlineData("series?indicator=serviceHours&subject=321324104201&from=2023-01&to=2026-03", "to")]
    public async Task A_bad_report_or_series_query_is_a_400_naming_the_field(string query, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync($"{Path}/{query}", HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
    }

    private static async Task<(List<string> Header, List<ImportRow> Rows)> DownloadAsync(HttpClient client, string query, string format,
        IReadOnlyList<string> columns)
    {
        using var response = await client.GetAsync(query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(format == "csv" ? TabularFile.CsvType : TabularFile.XlsxType, response.Content.Headers.ContentType?.MediaType);
        using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return format == "csv" ? TabularFile.ReadCsv(body, columns) : TabularFile.ReadXlsx(body, columns);
    }
}
