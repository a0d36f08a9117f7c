using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// A village or community the stations registry knows (from its stations' events): only such a village is divided
/// into grids, and coverage counts the ones with none.
/// </summary>
public sealed class KnownVillage
{
    private KnownVillage() { }

    public KnownVillage(DivisionCode code, string name, DateTimeOffset seenAt)
    {
        Code = code;
        Name = name;
        SeenAt = seenAt;
    }

    public DivisionCode Code { get; private set; }
    /// <summary>The village station's name (村级实践站), which names the village for people.</summary>
    public string Name { get; private set; } = "";
    /// <summary>When the registry's latest event about it happened (events arrive in any order; older ones change nothing).</summary>
    public DateTimeOffset SeenAt { get; private set; }
    /// <summary>The village's station was closed: no new grids, and it leaves the coverage counts.</summary>
    public bool Closed { get; private set; }
    public int Version { get; private set; }
}

internal sealed class KnownVillageMapping : IEntityTypeConfiguration<KnownVillage>
{
    public void Configure(EntityTypeBuilder<KnownVillage> entity)
    {
        entity.ToTable("known_villages");
        entity.HasKey(v => v.Code);
        entity.Property(v => v.Name).HasMaxLength(100);
        entity.Property(v => v.Version).IsConcurrencyToken();
    }
}
