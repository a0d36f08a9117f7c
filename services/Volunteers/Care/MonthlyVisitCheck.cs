namespace PracticeMesh.Volunteers.Care;

/// <summary>One volunteer's month: the households they were paired with, those they visited, and what the rule asks.</summary>
public sealed record VolunteerVisitMonth(Guid VolunteerId, int PairedHouseholds, int HouseholdsVisited, int Visits, int Required)
{
    public bool Behind => HouseholdsVisited < Required;

    public int Short => Math.Max(0, Required - HouseholdsVisited);
}

/// <summary>
/// "每位志愿者每月走访两户": every volunteer with a pairing that holds on any day of the month visits
/// <see cref="CareOptions.VisitsPerMonth"/> distinct households (a household is one registered care recipient) in
/// that month, China days. The rule is the users' own: a volunteer paired with fewer households than it asks is behind,
/// and the row shows why (their paired households), so the station pairs them with more.
/// </summary>
public static class MonthlyVisitCheck
{
    public sealed record PairingSpan(Guid VolunteerId, Guid RecipientId, DateOnly StartsOn, DateOnly EndsOn);

    public sealed record VisitDay(Guid VolunteerId, Guid RecipientId, DateOnly VisitedOn);

    /// <summary>The first and last day of the month that <paramref name="anyDay"/> falls in.</summary>
    public static (DateOnly First, DateOnly Last) Month(DateOnly anyDay)
    {
        var first = new DateOnly(anyDay.Year, anyDay.Month, 1);
        return (first, first.AddMonths(1).AddDays(-1));
    }

    /// <summary>Every volunteer paired during the month, with their count; visits outside the month are ignored.</summary>
    public static IReadOnlyList<VolunteerVisitMonth> Evaluate(DateOnly month, int required, IEnumerable<PairingSpan> pairings, IEnumerable<VisitDay> visits)
    {
        var (first, last) = Month(month);
        var paired = pairings.Where(p => p.StartsOn <= last && p.EndsOn >= first && p.StartsOn <= p.EndsOn)
            .GroupBy(p => p.VolunteerId)
            .ToDictionary(g => g.Key, g => g.Select(p => p.RecipientId).Distinct().Count());
        var visited = visits.Where(v => v.VisitedOn >= first && v.VisitedOn <= last && paired.ContainsKey(v.VolunteerId))
            .GroupBy(v => v.VolunteerId)
            .ToDictionary(g => g.Key, g => (Households: g.Select(v => v.RecipientId).Distinct().Count(), Visits: g.Count()));
        return [.. paired.Select(p =>
        {
            var (households, count) = visited.GetValueOrDefault(p.Key);
            return new VolunteerVisitMonth(p.Key, p.Value, households, count, required);
        })];
    }
}
