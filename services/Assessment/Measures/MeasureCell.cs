namespace PracticeMesh.Assessment.Measures;

/// <summary>Where a figure is kept: whose it is, which month ("yyyy-MM", China time), which measure (<see cref="Measures"/>).</summary>
public readonly record struct CellKey(SubjectKind Kind, string Subject, string Month, string Measure);

/// <summary>A fact's part in one cell.</summary>
public readonly record struct CellContribution(CellKey Key, long Value);

/// <summary>
/// One summable figure of one subject in one month, kept up to date as facts arrive (the incremental result) and
/// recomputable from the facts alone (<see cref="CellRebuilder"/>): the two must always agree.
/// </summary>
public sealed class MeasureCell
{
    private MeasureCell() { }

    public SubjectKind Kind { get; private set; }
    public string Subject { get; private set; } = "";
    public string Month { get; private set; } = "";
    public string Measure { get; private set; } = "";
    public long Value { get; private set; }
    /// <summary>Bumped by every change: two consumers adding to one cell at once cannot both save over the same total.</summary>
    public int Version { get; private set; }

    public CellKey Key => new(Kind, Subject, Month, Measure);

    public static MeasureCell Start(CellKey key) => new() { Kind = key.Kind, Subject = key.Subject, Month = key.Month, Measure = key.Measure };

    public void Add(long delta)
    {
        Value += delta;
        Version++;
    }
}

/// <summary>A fact that adds to cells: what it adds is a pure function of its own fields, so applying facts in any order gives the same cells.</summary>
public interface IContributingFact
{
    IEnumerable<CellContribution> Contributions();
}
