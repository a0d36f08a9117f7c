namespace PracticeMesh.Stations.Domain;

/// <summary>
/// Settings under <c>Stations</c>: numbers and lists a county sets for itself. Each default is the county default
/// described in docs/county-settings.md; where the seed states a rule (staffing minimums, the six haves), the default
/// is that rule.
/// </summary>
public sealed class StationsOptions
{
    public const string Section = "Stations";

    public StaffingOptions Staffing { get; set; } = new();

    public SixHavesOptions SixHaves { get; set; } = new();

    /// <summary>A pairing (结对共建) runs at most this many years: a county default, not a seed rule.</summary>
    public int PairingMaxYears { get; set; } = 3;

    /// <summary>Why these settings cannot be used, or nothing: checked when the host starts.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, range) in new[] { ("Institute", Staffing.Institute), ("Station", Staffing.Station) })
        {
            if (range.Minimum < 0 || range.UsualMaximum < range.Minimum)
            {
                yield return $"Stations:Staffing:{name} needs 0 <= Minimum <= UsualMaximum (has {range.Minimum} and {range.UsualMaximum}).";
            }
        }
        if (PairingMaxYears is < 1 or > 20)
        {
            yield return $"Stations:PairingMaxYears is 1 to 20 (has {PairingMaxYears}).";
        }
        if (!SixHavesChecklist.TryCreate(SixHaves, out _, out var checklistError))
        {
            yield return checklistError;
        }
    }
}

/// <summary>
/// Staff to designate (配备专兼职工作人员, seed: an institute 2-3, a station 1-2): the lower number is the minimum, the
/// upper the usual range. A site below the minimum is flagged; above the usual range is shown as information only.
/// </summary>
public sealed class StaffingOptions
{
    /// <summary>A township institute (实践所).</summary>
    public StaffingRange Institute { get; set; } = new() { Minimum = 2, UsualMaximum = 3 };

    /// <summary>Every station: village, community and unit stations (school, enterprise, agency, mobile).</summary>
    public StaffingRange Station { get; set; } = new() { Minimum = 1, UsualMaximum = 2 };
}

public sealed class StaffingRange
{
    public int Minimum { get; set; }
    public int UsualMaximum { get; set; }
}

/// <summary>The checklists a county can name instead of listing items.</summary>
public enum SixHavesStandard
{
    /// <summary>六有 (seed): 有场所/有队伍/有制度/有保障/有成效/有特色.</summary>
    SixItems,
    /// <summary>The village plan's eight items: 阵地/机构/队伍/平台/制度/方案/活动/成效.</summary>
    VillagePlanEightItems,
}

/// <summary>The checklist stations show evidence for: a named standard, or the county's own items.</summary>
public sealed class SixHavesOptions
{
    public SixHavesStandard Standard { get; set; } = SixHavesStandard.SixItems;

    /// <summary>The county's own items, in order; when set, they replace <see cref="Standard"/>.</summary>
    public ChecklistItemOptions[]? Items { get; set; }
}

public sealed class ChecklistItemOptions
{
    /// <summary>The item's key in paths and records (letters, digits and '-', at most 20 characters).</summary>
    public string? Key { get; set; }

    /// <summary>The item's Chinese label (有场所, 阵地…).</summary>
    public string? Label { get; set; }
}
