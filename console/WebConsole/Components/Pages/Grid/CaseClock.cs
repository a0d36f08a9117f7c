namespace PracticeMesh.WebConsole.Components.Pages.Grid;

/// <summary>Where a case stands against its current stage's time limit.</summary>
/// <param name="HasLimit">False for a closed case or one without a limit: nothing to count.</param>
/// <param name="Overdue">Past its limit: the API's own <c>overdue</c>, or the limit passed since the API answered.</param>
/// <param name="Remaining">Time left (or, when overdue, time past the limit), never negative.</param>
public readonly record struct CaseTimeLeft(bool HasLimit, bool Overdue, TimeSpan Remaining)
{
    /// <summary>Less than two hours left: worth a warning before it turns red.</summary>
    public bool Soon => HasLimit && !Overdue && Remaining < TimeSpan.FromHours(2);
}

/// <summary>Time left on a case, counted from the due time the API set on the county's working calendar.</summary>
public static class CaseClock
{
    public static CaseTimeLeft Of(GridCaseItem item, DateTimeOffset now)
    {
        if (!item.Open || item.DueAt is not { } due)
        {
            return new CaseTimeLeft(false, false, TimeSpan.Zero);
        }
        // The API says whether it is overdue when it answered; a page left open may see the limit pass since.
        var overdue = item.Overdue || due <= now;
        return new CaseTimeLeft(true, overdue, overdue ? (now > due ? now - due : TimeSpan.Zero) : due - now);
    }

    /// <summary>Days, hours and minutes as a person reads them: 2天3小时, 3小时20分, 15分.</summary>
    public static string Span(TimeSpan span, bool english)
    {
        var (d, h, m) = ((int)span.TotalDays, span.Hours, span.Minutes);
        if (english)
        {
            return d > 0 ? $"{d} d {h} h" : h > 0 ? $"{h} h {m} min" : $"{Math.Max(m, 1)} min";
        }
        return d > 0 ? $"{d}天{h}小时" : h > 0 ? $"{h}小时{m}分" : $"{Math.Max(m, 1)}分";
    }
}

/// <summary>The case board's columns: one per status of the API's flow (上报 → 立案 → 派遣 → 处置 → 核查 → 结案).</summary>
public static class CaseBoard
{
    /// <summary>The columns in order; 结案 also holds rejected and merged cases (ended without handling).</summary>
    public static readonly IReadOnlyList<string> Columns = ["Reported", "Accepted", "Dispatched", "Handled", "Verified", "Closed"];

    public static string ColumnOf(string status) => status switch
    {
        "Rejected" or "Merged" => "Closed",
        _ when Columns.Contains(status) => status,
        _ => "Closed",
    };

    /// <summary>
    /// The cases in their columns, most pressing first within a column: overdue ones, then escalated, then by due time,
    /// ended cases newest first.
    /// </summary>
    public static IReadOnlyList<(string Column, IReadOnlyList<GridCaseItem> Cases)> Group(IEnumerable<GridCaseItem> cases, DateTimeOffset now)
    {
        var byColumn = cases.ToLookup(c => ColumnOf(c.Status));
        return Columns.Select(column => (column, (IReadOnlyList<GridCaseItem>)byColumn[column]
                .OrderByDescending(c => CaseClock.Of(c, now).Overdue)
                .ThenByDescending(c => c.EscalationLevel)
                .ThenBy(c => c.Open ? c.DueAt ?? DateTimeOffset.MaxValue : DateTimeOffset.MaxValue)
                .ThenByDescending(c => c.ReportedAt)
                .ToList()))
            .ToList();
    }
}
