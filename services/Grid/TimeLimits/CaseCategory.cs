namespace PracticeMesh.Grid.TimeLimits;

/// <summary>Whether a time limit counts working hours or working days.</summary>
public enum LimitUnit { WorkingHours, WorkingDays }

/// <summary>A time limit on the county's working calendar: 4 working hours, 3 working days.</summary>
public sealed record WorkingTime(int Amount, LimitUnit Unit);

/// <summary>
/// A kind of problem (事件类别) residents and grid workers report, with its time limits for acceptance, handling and
/// verification. Data, not code: the county edits the list; a default set is shipped. A minor category
/// (<see cref="StaysInGrid"/>) is handled in its grid and never escalates.
/// </summary>
public sealed class CaseCategory
{
    private CaseCategory() { }

    public CaseCategory(string code, string name, WorkingTime acceptWithin, WorkingTime handleWithin, WorkingTime verifyWithin, bool staysInGrid)
    {
        Code = code;
        Name = name;
        AcceptWithin = acceptWithin;
        HandleWithin = handleWithin;
        VerifyWithin = verifyWithin;
        StaysInGrid = staysInGrid;
    }

    /// <summary>Stable code, Open311's service_code ("sanitation", "road-damage").</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public WorkingTime AcceptWithin { get; private set; } = new(1, LimitUnit.WorkingDays);
    public WorkingTime HandleWithin { get; private set; } = new(3, LimitUnit.WorkingDays);
    public WorkingTime VerifyWithin { get; private set; } = new(1, LimitUnit.WorkingDays);
    public bool StaysInGrid { get; private set; }
    public bool Active { get; private set; } = true;
    public int Version { get; private set; }
}
