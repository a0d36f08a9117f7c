using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Grid.Domain;

namespace PracticeMesh.Grid.Grids;

/// <summary>What happened to a grid.</summary>
public enum GridChangeKind
{
    Created,
    Updated,
    /// <summary>Split into <see cref="GridChange.RelatedCodes"/> (the grid was retired).</summary>
    Split,
    /// <summary>Merged into <see cref="GridChange.RelatedCodes"/> (the grid was retired).</summary>
    Merged,
    Retired,
}

/// <summary>
/// One change to a grid, with the grid as it stood afterwards (名称, 户数, 人口, boundary) and who made it: a grid's
/// history is these rows in order, kept after the grid is retired.
/// </summary>
public sealed class GridChange
{
    private GridChange() { }

    public long Id { get; private set; }
    public string GridCode { get; private set; } = "";
    /// <summary>The grid's version after the change (0 for its creation).</summary>
    public int Version { get; private set; }
    public GridChangeKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? ActorId { get; private set; }
    public string? ActorName { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>The grids it came from (a creation by split or merge) or went into (a split or merge).</summary>
    public List<string> RelatedCodes { get; private set; } = [];
    public string Name { get; private set; } = "";
    public int Households { get; private set; }
    public int Population { get; private set; }
    public string? BoundaryGeoJson { get; private set; }

    public static GridChange Of(GridCell grid, GridChangeKind kind, DateTimeOffset at, string? actorId, string? actorName,
        string? reason = null, IReadOnlyList<string>? related = null) => new()
    {
        GridCode = grid.Code,
        Version = grid.Version,
        Kind = kind,
        At = at,
        ActorId = actorId,
        ActorName = actorName,
        Reason = reason,
        RelatedCodes = [.. related ?? []],
        Name = grid.Name,
        Households = grid.Households,
        Population = grid.Population,
        BoundaryGeoJson = grid.BoundaryGeoJson,
    };
}

internal sealed class GridChangeMapping : IEntityTypeConfiguration<GridChange>
{
    public void Configure(EntityTypeBuilder<GridChange> entity)
    {
        entity.ToTable("grid_changes");
        entity.HasKey(c => c.Id);
        entity.Property(c => c.GridCode).HasMaxLength(24);
        entity.HasIndex(c => new { c.GridCode, c.Id });
        entity.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        entity.Property(c => c.ActorId).HasMaxLength(100);
        entity.Property(c => c.ActorName).HasMaxLength(100);
        entity.Property(c => c.Reason).HasMaxLength(200);
        entity.Property(c => c.Name).HasMaxLength(100);
    }
}
