using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.WebConsole.Components.Pages.Assessment;

// The assessment API's answers as the pages read them.

public sealed record SchemeRef(string County, int Year, int Version);

public sealed record RankingItem(int Rank, string Subject, string? Name, decimal Total, int Stars, string? StarName);

public sealed record RankingResponse(string Period, string Tier, string Under, SchemeRef Scheme, List<RankingItem> Items);

public sealed record FactLine(string Label, decimal Value, string? Month = null, string? Source = null);

public sealed record IndicatorScore(string Code, string Name, decimal? Value, decimal Target, decimal Points, decimal Weight, string Rule, List<FactLine> Facts);

public sealed record DeductionApplied(string Code, string Reason, decimal Points, string? Indicator = null, string? Rule = null);

public sealed record SubjectScore(string Tier, string Subject, string? Name, string Period, SchemeRef Scheme, decimal Total, int Stars, string? StarName,
    List<IndicatorScore> Indicators, List<DeductionApplied> Deductions)
{
    public decimal IndicatorPoints => Indicators.Sum(i => i.Points);

    public decimal DeductionPoints => Deductions.Sum(d => d.Points);
}

public sealed record PeriodStatus(string County, string Period, bool Published, DateTimeOffset? PublishedAt, string? PublishedBy, SchemeRef? Scheme,
    int? Stations, int? Institutes);

/// <summary>The periods a person picks from (months, quarters, years back from now in China time), last month first.</summary>
public static class AssessmentPeriods
{
    public static string LastMonth(DateTimeOffset now) =>
        ChinaTime.Today(now).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static List<string> Recent(DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var periods = new List<string>();
        for (var back = 1; back <= 12; back++)
        {
            periods.Add(today.AddMonths(-back).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }
        periods.Add(today.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var quarter = (today.Month - 1) / 3 + 1;
        for (var (year, q, n) = (today.Year, quarter, 0); n < 4; n++)
        {
            periods.Add($"{year}-Q{q}");
            (year, q) = q == 1 ? (year - 1, 4) : (year, q - 1);
        }
        periods.Add((today.Year - 1).ToString(CultureInfo.InvariantCulture));
        periods.Add(today.Year.ToString(CultureInfo.InvariantCulture));
        return periods;
    }
}
