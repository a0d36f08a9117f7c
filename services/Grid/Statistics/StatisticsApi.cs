using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;

namespace PracticeMesh.Grid.Statistics;

/// <summary>
/// Case statistics per grid, village and township (网格事件统计): a table, a series for charts and the table as XLSX.
/// Everything is within the caller's division scope; <c>under</c> narrows it.
/// </summary>
public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapGridStatistics(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/grid").WithTags("Grid").RequireAuthorization(ApiScopes.GridRead);
        api.MapGet("/statistics", TableAsync).WithName("GridStatistics")
            .WithSummary("Cases reported, closed, closed on time, overdue, reworked, extended, escalated and the median handling time, per grid, village or township (from and to: yyyy-MM-dd, China time, at most 366 days)");
        api.MapGet("/statistics/series", SeriesAsync).WithName("GridStatisticsSeries")
            .WithSummary("The same figures per month, week or day, shaped for a chart: labels and one series per figure");
        api.MapGet("/statistics.xlsx", XlsxAsync).WithName("GridStatisticsXlsx")
            .WithSummary("The statistics table as an XLSX workbook with Chinese column headers and a totals row");
        return endpoints;
    }

    public static async Task<Ok<CaseStatisticsReport>> TableAsync(string? under, string? from, string? to, string? groupBy, GridDbContext db,
        Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReportAsync(under, from, to, groupBy, db, caller, dates, time, cancellationToken));

    public static async Task<Ok<CaseStatisticsSeries>> SeriesAsync(string? under, string? from, string? to, string? interval, GridDbContext db,
        Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var prefix = caller.ListPrefix(under);
        var period = StatisticsPeriod.Parse(from, to, dates, ChinaTime.Today(now));
        var cut = StatisticsPeriod.ParseInterval(interval);
        // Outside the caller's scope there is nothing to count: every figure is then zero.
        var series = await new CaseStatistics(db).SeriesAsync(prefix ?? NoDivision, period, cut, now, cancellationToken);
        return TypedResults.Ok(prefix is null ? series with { Under = under! } : series);
    }

    public static async Task<FileContentHttpResult> XlsxAsync(string? under, string? from, string? to, string? groupBy, GridDbContext db,
        Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(under, from, to, groupBy, db, caller, dates, time, cancellationToken);
        var first = report.GroupBy switch
        {
            "grid" => "网格",
            "village" => "村（社区）",
            _ => "乡镇（街道）",
        };
        var sheet = report.Rows.Select(r => Cells(first, r.Code, r.Name, r)).ToList();
        sheet.Add(Cells(first, "合计", $"{report.From:yyyy-MM-dd} 至 {report.To:yyyy-MM-dd}", report.Totals));
        using var output = new MemoryStream();
        await MiniExcel.SaveAsAsync(output, sheet, sheetName: "网格事件统计", cancellationToken: cancellationToken);
        return TypedResults.File(output.ToArray(), TabularFile.XlsxType,
            $"grid-statistics-{report.Under}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}.xlsx");
    }

    /// <summary>A prefix no division code has: what a caller whose scope and <c>under</c> do not overlap sees.</summary>
    private const string NoDivision = "-";

    private static async Task<CaseStatisticsReport> ReportAsync(string? under, string? from, string? to, string? groupBy, GridDbContext db,
        Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var prefix = caller.ListPrefix(under);
        var period = StatisticsPeriod.Parse(from, to, dates, ChinaTime.Today(now));
        var grouping = StatisticsPeriod.ParseGrouping(groupBy, prefix ?? under ?? caller.DivisionScope);
        var report = await new CaseStatistics(db).TableAsync(prefix ?? NoDivision, period, grouping, now, cancellationToken);
        return prefix is null ? report with { Under = under!, Totals = report.Totals with { Code = under! } } : report;
    }

    /// <summary>A row as the workbook shows it, the column headers in Chinese.</summary>
    private static Dictionary<string, object?> Cells(string first, string code, string? name, StatisticsRow row) => new()
    {
        [first] = code,
        ["名称"] = name,
        ["上报"] = row.Reported,
        ["结案"] = row.Closed,
        ["按时结案"] = row.ClosedOnTime,
        ["超期"] = row.Overdue,
        ["返工"] = row.Reworked,
        ["延期"] = row.Extended,
        ["升级"] = row.Escalated,
        ["处置时长中位数（小时）"] = row.MedianHandlingHours,
    };
}
