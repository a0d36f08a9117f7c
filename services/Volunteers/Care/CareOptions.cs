namespace PracticeMesh.Volunteers.Care;

/// <summary>
/// Settings under <c>Care</c>. Both numbers are county defaults a county may change: the seed states the monthly
/// visits ("每位志愿者每月走访两户") but no length for a pairing; three years is this county's practice.
/// </summary>
public sealed class CareOptions
{
    /// <summary>The longest a pairing (结对) may run, in years: county default 3.</summary>
    public int MaxPairingYears { get; set; } = 3;

    /// <summary>Distinct households each paired volunteer visits a month: default 2, as the village plans write it.</summary>
    public int VisitsPerMonth { get; set; } = 2;

    /// <summary>Checked at start: a host with a setting out of range does not start.</summary>
    internal bool IsValid => MaxPairingYears is >= 1 and <= 20 && VisitsPerMonth is >= 1 and <= 31;

    internal const string Invalid = "Care:MaxPairingYears must lie between 1 and 20 and Care:VisitsPerMonth between 1 and 31.";
}
