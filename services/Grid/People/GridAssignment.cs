using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

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

    /// <summary>The person as an event states them, heard before anything else about them.</summary>
    public static KnownPerson From(PersonChanged message) =>
        new(message.PersonId, message.DisplayName, message.Role, message.DivisionCode, message.Active, message.OccurredAt);

    /// <summary>
    /// Takes <paramref name="message"/> when it is newer than what is kept (events arrive in any order: an older one
    /// changes nothing). Returns true when the person's activity changed, which moves coverage.
    /// </summary>
    public bool Apply(PersonChanged message)
    {
        if (message.OccurredAt <= ChangedAt)
        {
            return false;
        }
        var activityChanged = Active != message.Active;
        Name = message.DisplayName;
        Role = message.Role;
        Division = message.DivisionCode;
        Active = message.Active;
        ChangedAt = message.OccurredAt;
        Version++;
        return activityChanged;
    }

    /// <summary>
    /// Whether the person may take <paramref name="duty"/> in a grid of <paramref name="village"/>: a worker (网格员) is a
    /// grid worker, a cadre (包格干部) a station or township admin or a team leader, and either's division covers the
    /// village (the village itself or its township). Returns the reason when not.
    /// </summary>
    public string? CannotHold(GridDuty duty, DivisionCode village)
    {
        if (!Active)
        {
            return $"{Name} is deactivated.";
        }
        var roleFits = duty switch
        {
            GridDuty.Worker => Role == PracticeMeshRoles.GridWorker,
            GridDuty.Cadre => Role is PracticeMeshRoles.StationAdmin or PracticeMeshRoles.TownshipAdmin or PracticeMeshRoles.TeamLeader,
            _ => false,
        };
        if (!roleFits)
        {
            return duty == GridDuty.Worker
                ? $"{Name} is a {Role}; a grid's worker is a grid worker."
                : $"{Name} is a {Role}; a grid's cadre is a station or township admin or a team leader.";
        }
        if (Division.Tier is not (DivisionTier.Village or DivisionTier.Township) || !village.IsWithin(Division))
        {
            return $"{Name} belongs to {Division}, which does not cover village {village}.";
        }
        return null;
    }
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
    /// <summary>Why the assignment was made (任命说明), as the admin wrote it.</summary>
    public string? Remark { get; private set; }
    /// <summary>Why it ended (卸任说明).</summary>
    public string? EndRemark { get; private set; }
    public int Version { get; private set; }

    public bool HoldsOn(DateOnly day) => From <= day && (Until is null || day <= Until);

    public static GridAssignment Start(string gridCode, DivisionCode village, KnownPerson person, GridDuty duty, DateOnly from, string? remark, DateTimeOffset now) => new()
    {
        Id = TownshipGuid.New(village, now),
        GridCode = gridCode,
        DivisionCode = village,
        PersonId = person.Id,
        PersonName = person.Name,
        Duty = duty,
        From = from,
        Remark = CheckRemark(remark),
        ChangedAt = now,
    };

    /// <summary>Ends the assignment after <paramref name="until"/>, its last day; the row stays as history.</summary>
    public void End(DateOnly until, string? remark, DateTimeOffset now)
    {
        if (Until is not null)
        {
            throw new ConflictException($"The assignment ended on {Until:yyyy-MM-dd}.");
        }
        if (until < From)
        {
            throw new DomainValidationException("until", $"The last day cannot be before the first, {From:yyyy-MM-dd}.");
        }
        Until = until;
        EndRemark = CheckRemark(remark);
        ChangedAt = now;
        Version++;
    }

    public GridAssignmentChanged ToChangedEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, GridCode, Id, PersonId, PersonName, Duty, From, Until);

    private static string? CheckRemark(string? remark)
    {
        var trimmed = remark?.Trim();
        return trimmed is { Length: > 200 }
            ? throw new DomainValidationException("remark", "A remark of at most 200 characters.")
            : string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
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
        entity.Property(a => a.Remark).HasMaxLength(200);
        entity.Property(a => a.EndRemark).HasMaxLength(200);
        entity.Property(a => a.Version).IsConcurrencyToken();
        entity.HasIndex(a => new { a.GridCode, a.Until });
        // One open assignment per person, duty and grid: two admins assigning the same person at once get one 409.
        entity.HasIndex(a => new { a.GridCode, a.PersonId, a.Duty }).IsUnique().HasFilter("\"Until\" IS NULL")
            .HasDatabaseName("ux_grid_assignments_open");
        entity.HasIndex(a => new { a.PersonId, a.Until });
    }
}
