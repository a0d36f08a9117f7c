using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PracticeMesh.Assessment.Honours;

/// <summary>
/// A county's confirmed outstanding volunteers and teams (评优) for a year: one list per county and year, so a second
/// confirmation breaks the key and writes nothing. Names who confirmed it, when, and the scheme version whose criteria
/// the candidates met.
/// </summary>
public sealed class HonourList
{
    private HonourList() { }

    public string County { get; private set; } = "";
    public int Year { get; private set; }
    public int SchemeVersion { get; private set; }
    public DateTimeOffset ConfirmedAt { get; private set; }
    public string? ConfirmedBy { get; private set; }

    public static HonourList From(string county, int year, int schemeVersion, DateTimeOffset at, string? by) =>
        new() { County = county, Year = year, SchemeVersion = schemeVersion, ConfirmedAt = at, ConfirmedBy = by };
}

public enum HonourKind { Volunteer, Team }

/// <summary>One honoured volunteer or team, with the figures that qualified them as they stood when confirmed.</summary>
public sealed class HonourEntry
{
    private HonourEntry() { }

    public string County { get; private set; } = "";
    public int Year { get; private set; }
    public HonourKind Kind { get; private set; }
    public Guid SubjectId { get; private set; }
    public string Name { get; private set; } = "";
    public string HomeStationCode { get; private set; } = "";
    /// <summary>The candidate as listed (<see cref="VolunteerCandidate"/> or <see cref="TeamCandidate"/>), in JSON.</summary>
    public string FiguresJson { get; private set; } = "";

    public static HonourEntry From(string county, int year, HonourKind kind, Guid id, string name, string homeStationCode, string figuresJson) =>
        new() { County = county, Year = year, Kind = kind, SubjectId = id, Name = name, HomeStationCode = homeStationCode, FiguresJson = figuresJson };
}

internal sealed class HonourListConfiguration : IEntityTypeConfiguration<HonourList>
{
    public void Configure(EntityTypeBuilder<HonourList> list)
    {
        list.ToTable("honour_lists");
        list.HasKey(l => new { l.County, l.Year });
        list.Property(l => l.County).HasMaxLength(6);
        list.Property(l => l.ConfirmedBy).HasMaxLength(100);
    }
}

internal sealed class HonourEntryConfiguration : IEntityTypeConfiguration<HonourEntry>
{
    public void Configure(EntityTypeBuilder<HonourEntry> entry)
    {
        entry.ToTable("honour_entries");
        entry.HasKey(e => new { e.County, e.Year, e.Kind, e.SubjectId });
        entry.Property(e => e.County).HasMaxLength(6);
        entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(10);
        entry.Property(e => e.Name).HasMaxLength(100);
        entry.Property(e => e.HomeStationCode).HasMaxLength(20);
        entry.HasOne<HonourList>().WithMany().HasForeignKey(e => new { e.County, e.Year }).OnDelete(DeleteBehavior.Cascade);
    }
}
