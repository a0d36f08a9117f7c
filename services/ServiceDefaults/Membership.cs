namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// One spell of belonging to a per-head group (a team's member, a township's cadre): from <see cref="From"/>
/// (included) until <see cref="Until"/> (excluded); null: still belongs.
/// </summary>
public readonly record struct MembershipSpell(DateTimeOffset From, DateTimeOffset? Until)
{
    /// <summary>
    /// A spell from the start of the China day of <paramref name="at"/>, open-ended: a cadre belongs from the day they
    /// were registered (categories are set then and never end), so time for that day is theirs as a cadre.
    /// </summary>
    public static MembershipSpell FromChinaDayOf(DateTimeOffset at) => new(ChinaTime.Day(ChinaTime.Today(at)).Start, null);

    /// <summary>Whether <paramref name="at"/> falls in the spell: time served (or credited) then counts for the group.</summary>
    public bool Covers(DateTimeOffset at) => at >= From && (Until is not { } until || at < until);
}

/// <summary>
/// The seed's per-head rule (人均年服务时间: a team's or a township's cadre corps' average, members counted for the part of
/// the year they belonged), the one place both the volunteers service's averages and assessment's per-head indicators
/// count it. A member is <see cref="Share">the share of a period</see> they belonged, by exact time: the time belonged
/// ÷ the period's length (China days, months, quarters or years), so someone who joined at China midnight on 1 October
/// is 92/365 of a head in 2026 and someone who left at the end of June half a head. Spells of one person are counted once
/// where they overlap (one person in two teams). A member's hours are only those they served
/// <see cref="WhileMember">while a member</see>. Who belongs is each caller's: a suspension does not end a cadre's spell,
/// since leaving a suspended cadre out would flatter the corps.
/// </summary>
public static class Membership
{
    /// <summary>
    /// The spells of a join/leave history, whatever order it was heard in: changes are read in time order (ties by
    /// <paramref name="tieBreak"/>, the same way every time); a join opens a spell unless one is open, a leave closes it.
    /// </summary>
    public static IReadOnlyList<MembershipSpell> FromHistory<T>(IEnumerable<T> changes, Func<T, DateTimeOffset> at, Func<T, bool> joined,
        Func<T, Guid> tieBreak)
    {
        var spells = new List<MembershipSpell>();
        DateTimeOffset? open = null;
        foreach (var change in changes.OrderBy(at).ThenBy(tieBreak))
        {
            if (joined(change))
            {
                open ??= at(change);
            }
            else if (open is { } from)
            {
                spells.Add(new(from, at(change)));
                open = null;
            }
        }
        if (open is { } stillIn)
        {
            spells.Add(new(stillIn, null));
        }
        return spells;
    }

    /// <summary>
    /// The spells clipped to [<paramref name="start"/>, <paramref name="end"/>), in time order, overlapping or touching
    /// ones joined and empty ones dropped; every one has an <see cref="MembershipSpell.Until"/>.
    /// </summary>
    public static IReadOnlyList<MembershipSpell> Within(IEnumerable<MembershipSpell> spells, DateTimeOffset start, DateTimeOffset end)
    {
        var merged = new List<MembershipSpell>();
        foreach (var (from, until) in spells
                     .Select(s => (From: s.From > start ? s.From : start, Until: s.Until is { } u && u < end ? u : end))
                     .Where(s => s.Until > s.From)
                     .OrderBy(s => s.From))
        {
            if (merged.Count > 0 && from <= merged[^1].Until!.Value)
            {
                merged[^1] = merged[^1] with { Until = until > merged[^1].Until!.Value ? until : merged[^1].Until };
            }
            else
            {
                merged.Add(new(from, until));
            }
        }
        return merged;
    }

    /// <summary>The share of a head the spells make in [<paramref name="start"/>, <paramref name="end"/>), unrounded: 0 to 1.</summary>
    public static decimal Share(IEnumerable<MembershipSpell> spells, DateTimeOffset start, DateTimeOffset end) =>
        TicksWithin(spells, start, end) / (decimal)(end - start).Ticks;

    /// <summary>The days belonged in [<paramref name="start"/>, <paramref name="end"/>), a fraction where a spell starts or ends within a day.</summary>
    public static decimal Days(IEnumerable<MembershipSpell> spells, DateTimeOffset start, DateTimeOffset end) =>
        TicksWithin(spells, start, end) / (decimal)TimeSpan.TicksPerDay;

    /// <summary>Whether time served (or credited) at <paramref name="at"/> is the group's: the person was a member then.</summary>
    public static bool WhileMember(IEnumerable<MembershipSpell> spells, DateTimeOffset at) => spells.Any(s => s.Covers(at));

    private static long TicksWithin(IEnumerable<MembershipSpell> spells, DateTimeOffset start, DateTimeOffset end) =>
        Within(spells, start, end).Sum(s => (s.Until!.Value - s.From).Ticks);
}
