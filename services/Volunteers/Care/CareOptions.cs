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

    internal void Validate()
    {
        if (MaxPairingYears is < 1 or > 20)
        {
            throw new InvalidOperationException("Care:MaxPairingYears must lie between 1 and 20.");
        }
        if (VisitsPerMonth is < 1 or > 31)
        {
            throw new InvalidOperationException("Care:VisitsPerMonth must lie between 1 and 31.");
        }
    }
}
