using NetTopologySuite.Geometries;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Domain;

/// <summary>
/// A grid (网格) inside a village: level 2 directly under the village, level 3 inside a level-2 grid.
/// Its code is the village's 12-digit code, a dash and a serial ("321324104201-02", "321324104201-02-1").
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
    /// <summary>The cadre (网格员) responsible for the grid.</summary>
    public string? CadreName { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>户数 in the grid.</summary>
    public int Households { get; private set; }
    /// <summary>人口 in the grid.</summary>
    public int Population { get; private set; }
    /// <summary>The boundary (WGS 84), when drawn; PostGIS column on PostgreSQL, not mapped on SQLite.</summary>
    public Polygon? Boundary { get; private set; }
    /// <summary>The same boundary as GeoJSON text, on every provider (what the API returns and the standalone index reads).</summary>
    public string? BoundaryGeoJson { get; private set; }
    /// <summary>Retired grids keep their code, history and cases, and take no new ones.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetiredReason { get; private set; }
    public bool Active => RetiredAt is null;
    public int Version { get; private set; }

    public static GridCell Create(string? villageCode, GridCell? parent, int serial, string? name, string? cadreName, DateTimeOffset now)
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
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
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
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var code = parent is null ? $"{village}-{serial:D2}" : $"{parent.Code}-{serial}";
        return new GridCell
        {
            Id = Guid.CreateVersion7(now),
            Code = code,
            DivisionCode = village,
            Name = trimmed,
            Level = parent is null ? 2 : 3,
            ParentCode = parent?.Code,
            CadreName = string.IsNullOrWhiteSpace(cadreName) ? null : cadreName.Trim(),
            CreatedAt = now,
        };
    }
}
