using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;

namespace PracticeMesh.Assessment.Reports;

/// <summary>One indicator of one subject month by month, shaped for a chart: a label and a value (or null) per month.</summary>
public sealed record IndicatorSeries(string Indicator, string Name, TargetKind Unit, AssessmentTier Tier, string Subject,
    IReadOnlyList<string> Labels, IReadOnlyList<decimal?> Values);

/// <summary>The handlers' common dependencies.</summary>
public sealed class ReportServices(Caller caller, TimeProvider time, [FromServices] IScoreCalculator scores)
{
    public Caller Caller { get; } = caller;
    public TimeProvider Time { get; } = time;
    public IScoreCalculator Scores { get; } = scores;
}

/// <summary>
/// Downloads of the rankings and indicator tables (CSV or XLSX, Chinese headers, for the county's own spreadsheets and
/// reports) and an indicator's monthly series for charts. Every figure comes from the live scores, so a report always
/// says what the rankings say.
/// </summary>
public static class ReportsApi
{
    /// <summary>The longest series asked for at once: each month is scored as its own period.</summary>
    public const int MaxSeriesMonths = 36;

    public static readonly IReadOnlyList<string> RankingColumns = ["名次", "编码", "名称", "总分", "星级", "星级名称", "方案版本"];

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead);
        api.MapGet("/reports/rankings", RankingsAsync).WithName("AssessmentRankingsReport")
            .WithSummary("A period's ranking of stations (within a township) or institutes (within the county) as CSV or XLSX, with the scheme version");
        api.MapGet("/reports/indicators", IndicatorsAsync).WithName("AssessmentIndicatorsReport")
            .WithSummary("A period's indicator table as CSV or XLSX: one row per station or institute, each indicator's value and points");
        api.MapGet("/series", SeriesAsync).WithName("AssessmentIndicatorSeries")
            .WithSummary("One indicator of a station or institute month by month (each month scored as its own period), shaped for charts");
        return api;
    }

    public static async Task<FileContentHttpResult> RankingsAsync(string? period, string? tier, string? under, string? format,
        [AsParameters] ReportServices services, CancellationToken cancellationToken)
    {
        var (when, level, prefix, file) = ReportQuery(period, tier, under, format, services.Caller);
        var ranking = prefix is null ? [] : await services.Scores.RankAsync(level, when, prefix, cancellationToken);
        var rows = ranking.Select(r => (IReadOnlyList<object?>)
            [r.Rank, r.Score.Subject, r.Score.Name, r.Score.Total, r.Score.Stars, r.Score.StarName, r.Score.Scheme.Version]);
        return await TabularExport.FileAsync(file, $"rankings-{level.ToString().ToLowerInvariant()}-{when}-{prefix ?? under}", RankingColumns, rows,
            "考评排名", cancellationToken);
    }

    public static async Task<FileContentHttpResult> IndicatorsAsync(string? period, string? tier, string? under, string? format,
        [AsParameters] ReportServices services, CancellationToken cancellationToken)
    {
        var (when, level, prefix, file) = ReportQuery(period, tier, under, format, services.Caller);
        var ranking = prefix is null ? [] : await services.Scores.RankAsync(level, when, prefix, cancellationToken);
        // The indicators in the scheme's order; a subject the scheme scores on fewer of them leaves those cells empty.
        var indicators = ranking.SelectMany(r => r.Score.Indicators).DistinctBy(i => i.Code).Select(i => (i.Code, i.Name)).ToList();
        List<string> columns = ["名次", "编码", "名称", .. indicators.SelectMany(i => new[] { $"{i.Name}(值)", $"{i.Name}(得分)" }), "扣分", "总分", "星级"];
        var rows = ranking.Select(r =>
        {
            var byCode = r.Score.Indicators.ToDictionary(i => i.Code, StringComparer.Ordinal);
            List<object?> row = [r.Rank, r.Score.Subject, r.Score.Name];
            foreach (var (code, _) in indicators)
            {
                var score = byCode.GetValueOrDefault(code);
                row.Add(score?.Value);
                row.Add(score?.Points);
            }
            row.Add(r.Score.Deductions.Sum(d => d.Points));
            row.Add(r.Score.Total);
            row.Add(r.Score.Stars);
            return (IReadOnlyList<object?>)row;
        });
        return await TabularExport.FileAsync(file, $"indicators-{level.ToString().ToLowerInvariant()}-{when}-{prefix ?? under}", columns, rows,
            "考评指标", cancellationToken);
    }

    public static async Task<Ok<IndicatorSeries>> SeriesAsync(string? indicator, string? tier, string? subject, string? from, string? to,
        [AsParameters] ReportServices services, CancellationToken cancellationToken)
    {
        var definition = IndicatorCatalog.Find(indicator)
            ?? throw new DomainValidationException("indicator", $"Unknown indicator; one of: {string.Join(", ", IndicatorCatalog.All.Select(d => d.Code))}.");
        var level = ParseTier(tier);
        var code = SubjectOf(level, subject, services.Caller);
        var thisMonth = Period.Parse(Period.MonthOf(services.Time.GetUtcNow()));
        var last = string.IsNullOrEmpty(to) ? thisMonth : Month(to, "to");
        var first = string.IsNullOrEmpty(from) ? Period.ForMonth(last.Year, 1) : Month(from, "from");
        var months = (last.Year - first.Year) * 12 + last.Number - first.Number + 1;
        if (months < 1)
        {
            throw new DomainValidationException("from", "from is a month no later than to.");
        }
        if (months > MaxSeriesMonths)
        {
            throw new DomainValidationException("to", $"A series covers at most {MaxSeriesMonths} months.");
        }

        var labels = new List<string>(months);
        var values = new List<decimal?>(months);
        var known = false;
        for (var i = 0; i < months; i++)
        {
            var month = Period.ForMonth(first.Year + (first.Number - 1 + i) / 12, (first.Number - 1 + i) % 12 + 1);
            labels.Add(month.ToString());
            // A month that has not begun has no figure yet: a gap in the chart, not a zero.
            if (month.Start > services.Time.GetUtcNow())
            {
                values.Add(null);
                continue;
            }
            var score = await services.Scores.ScoreAsync(level, code, month, cancellationToken);
            known |= score is not null;
            values.Add(score?.Indicators.FirstOrDefault(s => s.Code == definition.Code)?.Value);
        }
        if (!known && thisMonth.Start >= first.Start)
        {
            throw new NotFoundException($"No {level.ToString().ToLowerInvariant()} {code} is assessed.");
        }
        return TypedResults.Ok(new IndicatorSeries(definition.Code, definition.Name, definition.Unit, level, code, labels, values));
    }

    private static (Period Period, AssessmentTier Tier, string? Prefix, TabularFormat Format) ReportQuery(string? period, string? tier, string? under,
        string? format, Caller caller)
    {
        var when = Period.Parse(period);
        var level = ParseTier(tier);
        var file = TabularExport.ParseFormat(format);
        return (when, level, caller.ListPrefix(under), file);
    }

    /// <summary>Station (the default) or Institute, by name in any case.</summary>
    public static AssessmentTier ParseTier(string? tier) =>
        string.IsNullOrEmpty(tier) ? AssessmentTier.Station
            : Enum.TryParse<AssessmentTier>(tier, ignoreCase: true, out var level) && Enum.IsDefined(level) && !char.IsAsciiDigit(tier[0]) ? level
            : throw new DomainValidationException("tier", "The tier is Station or Institute.");

    /// <summary>The subject a tier scores: a station code, or an institute's township (9 digits); outside the caller's division, 404.</summary>
    private static string SubjectOf(AssessmentTier tier, string? subject, Caller caller)
    {
        if (tier == AssessmentTier.Station)
        {
            if (!StationCode.TryParse(subject, out var station, out var error))
            {
                throw new DomainValidationException("subject", error);
            }
            caller.EnsureCovers(station.Place, $"station {station}");
            return station.Value;
        }
        if (!DivisionCode.TryParse(subject, out var township) || township.Tier != DivisionTier.Township)
        {
            throw new DomainValidationException("subject", "An institute is named by its township's 9-digit code.");
        }
        caller.EnsureCovers(township, $"institute {township}");
        return township.Value;
    }

    private static Period Month(string text, string field)
    {
        var period = Period.Parse(text, field);
        return period.Kind == PeriodKind.Month ? period : throw new DomainValidationException(field, "A series runs from month to month (2026-01).");
    }
}
