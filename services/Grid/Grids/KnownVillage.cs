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

    /// <summary>
    /// Before any statement by the village's own station: a row started by a unit station in the village, or by a
    /// closure heard before the registration. Any statement by the village's station is newer.
    /// </summary>
    public static readonly DateTimeOffset NotYetNamed = DateTimeOffset.UnixEpoch;

    /// <summary>A village heard of first through a unit station in it or an early closure: known, not yet named.</summary>
    public static KnownVillage Unnamed(DivisionCode code) => new(code, "", NotYetNamed);

    /// <summary>
    /// The village's own station stated its name at <paramref name="at"/>. An older statement changes nothing;
    /// at the same instant the later kind of statement (<paramref name="winsTies"/>: an update over a registration) wins.
    /// </summary>
    public void Named(string name, DateTimeOffset at, bool winsTies)
    {
        if (at > SeenAt || (winsTies && at == SeenAt))
        {
            (Name, SeenAt) = (name.Length > 100 ? name[..100] : name, at);
            Version++;
        }
    }

    /// <summary>The village's station closed. There is no reopening in the registry, so a closure is final whenever it is heard.</summary>
    public void Close()
    {
        if (!Closed)
        {
            Closed = true;
            Version++;
        }
    }
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
