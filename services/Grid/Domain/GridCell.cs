using NetTopologySuite.Geometries;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Grids;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Domain;

/// <summary>
/// A grid (网格) inside a village: level 2 directly under the village, level 3 inside a level-2 grid.
/// Its code is the village's 12-digit code, a dash and a serial ("321324104201-02", "321324104201-02-1").
/// The people who work it are assignments (identity's people), never a name typed here.
/// </summary>
public sealed class GridCell
{
    private GridCell() { }

    public Guid Id { get; private set; }
    public string Code { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string Name { get; private set; } = "";
    public int Level { get; private set; }
    public string? ParentCode { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>户数 in the grid.</summary>
    public int Households { get; private set; }
    /// <summary>人口 in the grid.</summary>
    public int Population { get; private set; }
    /// <summary>The boundary (WGS 84), when drawn; PostGIS column on PostgreSQL, not mapped on SQLite.</summary>
    public Polygon? Boundary { get; private set; }
    /// <summary>The same boundary as GeoJSON text, on every provider (what the API returns and the standalone index reads).</summary>
    public string? BoundaryGeoJson { get; private set; }
    /// <summary>The grids this one replaced (split from, or merged from); empty for a grid drawn afresh.</summary>
    public List<string> PredecessorCodes { get; private set; } = [];
    /// <summary>The grids that replaced this one when it was split or merged.</summary>
    public List<string> SuccessorCodes { get; private set; } = [];
    /// <summary>Retired grids keep their code, history and cases, and take no new ones.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetiredReason { get; private set; }
    public bool Active => RetiredAt is null;
    public int Version { get; private set; }

    /// <summary>The level a code names: one dash is a level-2 grid, two a level-3 grid.</summary>
    public static int LevelOf(string code) => code.Count(c => c == '-') + 1;

    public static GridCell Create(string? villageCode, GridCell? parent, int serial, string? name, DateTimeOffset now,
        int households = 0, int population = 0, Polygon? boundary = null, IReadOnlyList<string>? predecessors = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DivisionCode.TryParse(villageCode, out var village, out var codeError))
        {
            errors["villageCode"] = [codeError];
        }
        else if (village.Tier != DivisionTier.Village)
        {
            errors["villageCode"] = ["Grids divide a village or community: a 12-digit code is required."];
        }
        if (serial is < 1 or > 99)
        {
            errors["serial"] = ["A grid serial is 1 to 99."];
        }
        if (parent is not null && errors.Count == 0 && parent.DivisionCode != village)
        {
            errors["parentCode"] = [$"Grid {parent.Code} lies in another village."];
        }
        if (parent is { Level: 3 })
        {
            errors["parentCode"] = ["Level-3 grids are not divided further."];
        }
        else if (parent is { Active: false })
        {
            errors["parentCode"] = [$"Grid {parent.Code} is retired."];
        }
        CheckDescription(name, households, population, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var code = parent is null ? $"{village}-{serial:D2}" : $"{parent.Code}-{serial}";
        var grid = new GridCell
        {
            Id = TownshipGuid.New(village, now),
            Code = code,
            DivisionCode = village,
            Level = parent is null ? 2 : 3,
            ParentCode = parent?.Code,
            CreatedAt = now,
            PredecessorCodes = [.. predecessors ?? []],
        };
        grid.Describe(name!, households, population, boundary);
        return grid;
    }

    /// <summary>Changes what a grid is (名称, 户数, 人口, boundary); its code, village and level never change.</summary>
    public void Update(string? name, int households, int population, Polygon? boundary)
    {
        EnsureActive();
        var errors = new Dictionary<string, string[]>();
        CheckDescription(name, households, population, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Describe(name!, households, population, boundary);
        Version++;
    }

    /// <summary>Retires the grid: with <paramref name="successors"/> when it was split or merged into them.</summary>
    public void Retire(string? reason, DateTimeOffset now, IReadOnlyList<string>? successors = null)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 200 characters is required.");
        }
        EnsureActive();
        RetiredAt = now;
        RetiredReason = trimmed;
        SuccessorCodes = [.. successors ?? []];
        Version++;
    }

    private void EnsureActive()
    {
        if (!Active)
        {
            throw new ConflictException($"Grid {Code} was retired on {RetiredAt:yyyy-MM-dd}; a retired grid does not change.");
        }
    }

    private void Describe(string name, int households, int population, Polygon? boundary)
    {
        Name = name.Trim();
        Households = households;
        Population = population;
        // The PostGIS column and its GeoJSON text are written together, here only, so they never disagree.
        Boundary = boundary;
        BoundaryGeoJson = boundary is null ? null : NtsGridIndex.ToGeoJson(boundary);
    }

    private static void CheckDescription(string? name, int households, int population, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        if (households is < 0 or > 1_000_000)
        {
            errors["households"] = ["Households are 0 to 1,000,000."];
        }
        if (population is < 0 or > 10_000_000)
        {
            errors["population"] = ["Population is 0 to 10,000,000."];
        }
    }
}
