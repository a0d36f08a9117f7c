using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// One person's time in a group (a team's member, a township's cadre) and the service time they gave while in it.
/// <see cref="Until"/> null: still in the group.
/// </summary>
public sealed record GroupTime(Guid VolunteerId, DateTimeOffset From, DateTimeOffset? Until, int Hundredths)
{
    public MembershipSpell Spell => new(From, Until);
}

/// <summary>A group's year per head (人均): heads, head-years, time, the average and whether it meets the target.</summary>
/// <param name="Heads">People who belonged for some part of the year.</param>
/// <param name="HeadYears">The years they belonged, summed: two members for half a year each are one head-year.</param>
/// <param name="AverageHundredths">Time per head-year, in hundredths of an hour; null for a group nobody belonged to.</param>
/// <param name="ExpectedByNowHundredths">The target's share of the year gone by: the average a group on pace has now.</param>
public sealed record PerHeadYear(int Year, int TargetHundredths, int Heads, decimal HeadYears, int Hundredths, int? AverageHundredths, bool Met,
    int ExpectedByNowHundredths, bool Behind);

/// <summary>
/// The seed's per-head rule (党政干部、志愿服务团队人均年服务时间不低于20小时): a team's, or a township's cadre corps',
/// service time over the year divided by the people in it, each counted for the part of the year they belonged
/// (someone who left in June is half a head), by <see cref="Membership"/>, the rule assessment's per-head indicators
/// count too. Time counts only while the person belonged. A person still in the group
/// is counted to the end of the year, so an average is met only once the group's time reaches the target; before
/// then, <see cref="PerHeadYear.Behind"/> compares it with the pro-rata share of the target.
/// </summary>
public static class PerHeadAverage
{
    public static PerHeadYear Evaluate(int year, int targetHundredths, IEnumerable<GroupTime> times, DateTimeOffset now)
    {
        var (start, end) = ChinaTime.Year(year);
        var heads = new HashSet<Guid>();
        decimal headYears = 0;
        var hundredths = 0;
        foreach (var time in times)
        {
            var share = Membership.Share([time.Spell], start, end);
            if (share == 0)
            {
                continue;
            }
            heads.Add(time.VolunteerId);
            headYears += share;
            hundredths += time.Hundredths;
        }
        int? average = headYears > 0 ? (int)Math.Round(hundredths / headYears, MidpointRounding.AwayFromZero) : null;
        // Compared unrounded, so an average a hair under the target is not shown as met.
        var met = headYears > 0 && hundredths >= targetHundredths * headYears;
        var expected = (int)Math.Ceiling(targetHundredths * ObligationPolicy.ElapsedShare(year, now));
        var behind = headYears > 0 && hundredths < expected * headYears;
        return new PerHeadYear(year, targetHundredths, heads.Count, Math.Round(headYears, 2, MidpointRounding.AwayFromZero), hundredths, average, met,
            expected, behind);
    }

    /// <summary>
    /// The township a cadre's corps is counted in: the township of their home station; a cadre of the county centre
    /// itself belongs to the county's own corps.
    /// </summary>
    public static string CorpsOf(DivisionCode home) => home.Tier >= DivisionTier.Township ? home.Value[..(int)DivisionTier.Township] : home.Value;
}
