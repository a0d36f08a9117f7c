using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.People;

/// <summary>
/// A person from identity as the grid service knows them (from <see cref="PersonChanged"/>): grid workers and cadres
/// are people who sign in, never free text.
/// </summary>
public sealed class KnownPerson
{
    private KnownPerson() { }

    public KnownPerson(Guid id, string name, string role, DivisionCode division, bool active, DateTimeOffset changedAt)
    {
        Id = id;
        Name = name;
        Role = role;
        Division = division;
        Active = active;
        ChangedAt = changedAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Role { get; private set; } = "";
    public DivisionCode Division { get; private set; }
    public bool Active { get; private set; }
    /// <summary>When the latest change heard happened; an older event changes nothing.</summary>
    public DateTimeOffset ChangedAt { get; private set; }
    public int Version { get; private set; }
}

/// <summary>
/// A person's duty in a grid from a day to a day (null while it holds). A person may hold several grids; a change
/// ends one assignment and starts another, so the history stays.
/// </summary>
public sealed class GridAssignment
{
    private GridAssignment() { }

    public Guid Id { get; private set; }
    public string GridCode { get; private set; } = "";
    /// <summary>The grid's village.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public Guid PersonId { get; private set; }
    public string PersonName { get; private set; } = "";
    public GridDuty Duty { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly? Until { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
    public int Version { get; private set; }

    public bool HoldsOn(DateOnly day) => From <= day && (Until is null || day <= Until);
}

internal sealed class KnownPersonMapping : IEntityTypeConfiguration<KnownPerson>
{
    public void Configure(EntityTypeBuilder<KnownPerson> entity)
    {
        entity.ToTable("known_people");
        entity.HasKey(p => p.Id);
        entity.Property(p => p.Name).HasMaxLength(50);
        entity.Property(p => p.Role).HasMaxLength(30);
        entity.Property(p => p.Version).IsConcurrencyToken();
    }
}

internal sealed class GridAssignmentMapping : IEntityTypeConfiguration<GridAssignment>
{
    public void Configure(EntityTypeBuilder<GridAssignment> entity)
    {
        entity.ToTable("grid_assignments");
        entity.HasKey(a => a.Id);
        entity.Property(a => a.GridCode).HasMaxLength(24);
        entity.Property(a => a.PersonName).HasMaxLength(50);
        entity.Property(a => a.Duty).HasConversion<string>().HasMaxLength(20);
        entity.Property(a => a.Version).IsConcurrencyToken();
        entity.HasIndex(a => new { a.GridCode, a.Until });
        entity.HasIndex(a => new { a.PersonId, a.Until });
    }
}
