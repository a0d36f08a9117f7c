using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// Yearly required service hours (seed): party/government cadres and team members ≥ 20 h, candidates for party
/// admission or cadre promotion ≥ 25 h, candidates for youth-league admission ≥ 10 h. The seed states the 20 h as a
/// per-head average (人均) of a team or a township's cadre corps (<see cref="PerHeadAverage"/>); the personal view, in
/// which a volunteer who falls under several keys owes the largest of them, not the sum, is information beside it.
/// </summary>
public sealed class ObligationPolicy
{
    public const string TeamMember = "TeamMember";

    public static readonly IReadOnlyDictionary<string, decimal> Seed = new Dictionary<string, decimal>
    {
        [nameof(VolunteerCategory.Cadre)] = 20,
        [TeamMember] = 20,
        [nameof(VolunteerCategory.PartyApplicant)] = 25,
        [nameof(VolunteerCategory.PromotionCandidate)] = 25,
        [nameof(VolunteerCategory.LeagueApplicant)] = 10,
    };

    private readonly IReadOnlyDictionary<string, decimal> _defaults;
    private readonly IReadOnlyDictionary<int, IReadOnlyDictionary<string, decimal>> _byYear;

    public ObligationPolicy(VolunteersOptions? options = null)
    {
        _defaults = Validate(options?.Obligations is { Count: > 0 } configured ? configured : Seed, "Volunteers:Obligations");
        _byYear = (options?.ObligationsByYear ?? []).ToDictionary(
            y => int.TryParse(y.Key, out var year) ? year : throw new InvalidOperationException($"Volunteers:ObligationsByYear:{y.Key} is not a year."),
            y => Validate(y.Value, $"Volunteers:ObligationsByYear:{y.Key}"));
    }

    private static IReadOnlyDictionary<string, decimal> Validate(IReadOnlyDictionary<string, decimal> hours, string section)
    {
        foreach (var (key, value) in hours)
        {
            if (key != TeamMember && !Enum.TryParse<VolunteerCategory>(key, out _))
            {
                throw new InvalidOperationException($"{section}:{key}: unknown category.");
            }
            if (value is < 0 or > 1000)
            {
                throw new InvalidOperationException($"{section}:{key}: {value} h is not a yearly obligation.");
            }
        }
        return new Dictionary<string, decimal>(hours, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, decimal> For(int year) => _byYear.GetValueOrDefault(year) ?? _defaults;

    /// <summary>Required time (hundredths of an hour, <see cref="ServiceTime"/>) in <paramref name="year"/> for someone with these categories and team membership.</summary>
    public int RequiredHundredths(int year, IEnumerable<VolunteerCategory> categories, bool isTeamMember)
    {
        var table = For(year);
        var keys = categories.Select(c => c.ToString()).Concat(isTeamMember ? [TeamMember] : []);
        var hours = keys.Select(k => table.GetValueOrDefault(k)).DefaultIfEmpty(0).Max();
        return ServiceTime.FromHours(hours).Hundredths;
    }

    /// <summary>
    /// The key that sets a volunteer's requirement (the largest; on a tie the first of their categories, team membership
    /// last), or null when nothing is required: one category per person, so a report by category adds up.
    /// </summary>
    public string? BindingKey(int year, IEnumerable<VolunteerCategory> categories, bool isTeamMember)
    {
        var table = For(year);
        var keys = categories.Select(c => c.ToString()).Concat(isTeamMember ? [TeamMember] : []);
        return keys.Select(k => (Key: k, Hours: table.GetValueOrDefault(k))).Where(k => k.Hours > 0)
            .Aggregate(((string Key, decimal Hours)?)null, (best, k) => best is { } b && b.Hours >= k.Hours ? b : k)?.Key;
    }

    /// <summary>
    /// A group's yearly target per head (hundredths of an hour): <see cref="TeamMember"/> for a team, <c>Cadre</c> for a
    /// township's cadre corps. The same configured numbers as the personal view, read as a per-head average (人均).
    /// </summary>
    public int PerHeadTargetHundredths(int year, string key) => ServiceTime.FromHours(For(year).GetValueOrDefault(key)).Hundredths;

    /// <summary>The share of <paramref name="year"/> gone by at <paramref name="now"/> (China time), 0 to 1.</summary>
    public static decimal ElapsedShare(int year, DateTimeOffset now)
    {
        var (start, end) = ChinaTime.Year(year);
        if (now <= start)
        {
            return 0;
        }
        return now >= end ? 1 : (decimal)((now - start).TotalDays / (end - start).TotalDays);
    }
}

/// <summary>Star volunteers (星级志愿者) by cumulative hours; the national ladder is 100/300/600/1000/1500 h.</summary>
public sealed class StarLadder
{
    public static readonly decimal[] National = [100, 300, 600, 1000, 1500];

    public StarLadder(VolunteersOptions? options = null)
    {
        var hours = options?.StarThresholds is { Length: > 0 } configured ? configured : National;
        if (hours.Any(h => h <= 0) || hours.Zip(hours.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new InvalidOperationException("Volunteers:StarThresholds must be positive and ascending.");
        }
        ThresholdHundredths = [.. hours.Select(h => ServiceTime.FromHours(h).Hundredths)];
    }

    public IReadOnlyList<int> ThresholdHundredths { get; }

    public int LevelFor(long totalHundredths) => ThresholdHundredths.Count(t => totalHundredths >= t);
}
