namespace PracticeMesh.Contracts;

/// <summary>
/// Volunteer service time (志愿服务时长) in the one unit every service counts in: whole hundredths of an hour
/// (0.01 h, 36 seconds). Hours are shown and carried in events with two decimals, so counting in exactly that unit
/// keeps what is shown exact: an activity's credit, its ledger entry and the station's month hold the same number,
/// and a total is the sum of its parts to the hundredth.
/// </summary>
/// <remarks>
/// The one rounding rule: a time present, or hours given with more decimals, goes to the nearest hundredth of an
/// hour, a half away from zero (59.5 min = 0.9917 h → 0.99 h; 20.3 min = 0.3383 h → 0.34 h). Every conversion into
/// the unit goes through <see cref="FromPresence"/> or <see cref="FromHours"/>; hours with two decimals (every event
/// ever published) convert back without loss.
/// </remarks>
public readonly record struct ServiceTime(int Hundredths) : IComparable<ServiceTime>
{
    /// <summary>Longest time that is service time in one day, or credited for one activity.</summary>
    public static readonly ServiceTime Day = new(2400);

    public static readonly ServiceTime Zero = new(0);

    /// <summary>The hours, exactly (two decimals).</summary>
    public decimal Hours => Hundredths / 100m;

    /// <summary>The credited time for a presence (checked in to checked out, already clipped); none when negative.</summary>
    public static ServiceTime FromPresence(TimeSpan presence)
    {
        if (presence <= TimeSpan.Zero)
        {
            return Zero;
        }
        // Ticks keep the presence exact (a double of minutes does not): ticks × 100 / ticks per hour, rounded.
        var hundredths = Math.Round(presence.Ticks * 100m / TimeSpan.TicksPerHour, 0, MidpointRounding.AwayFromZero);
        return new ServiceTime((int)Math.Min(hundredths, int.MaxValue));
    }

    /// <summary>Hours as given (an event, a request) in the unit; more than two decimals round by the one rule.</summary>
    public static ServiceTime FromHours(decimal hours) =>
        new((int)Math.Round(Math.Clamp(hours, -10_000_000m, 10_000_000m) * 100m, 0, MidpointRounding.AwayFromZero));

    public static ServiceTime operator +(ServiceTime a, ServiceTime b) => new(a.Hundredths + b.Hundredths);
    public static ServiceTime operator -(ServiceTime a, ServiceTime b) => new(a.Hundredths - b.Hundredths);
    public static ServiceTime operator -(ServiceTime a) => new(-a.Hundredths);
    public static bool operator <(ServiceTime a, ServiceTime b) => a.Hundredths < b.Hundredths;
    public static bool operator >(ServiceTime a, ServiceTime b) => a.Hundredths > b.Hundredths;
    public static bool operator <=(ServiceTime a, ServiceTime b) => a.Hundredths <= b.Hundredths;
    public static bool operator >=(ServiceTime a, ServiceTime b) => a.Hundredths >= b.Hundredths;

    public int CompareTo(ServiceTime other) => Hundredths.CompareTo(other.Hundredths);

    public static ServiceTime Sum(IEnumerable<ServiceTime> times) => new(times.Sum(t => t.Hundredths));

    public override string ToString() => $"{Hours:0.00} h";
}
