using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>
/// One stored version of a county's scheme for a year (考核方案版本): never changed once written, so a result that names
/// its version can always be explained by the rules that produced it. Versions count from 1; 0 is the shipped default.
/// </summary>
public sealed class SchemeVersion
{
    private SchemeVersion()
    {
    }

    public SchemeVersion(string county, int year, int version, SchemeDocument document, DateTimeOffset createdAt, string? createdBy)
    {
        County = county;
        Year = year;
        Version = version;
        Name = document.Name;
        Document = SchemeText.Write(document);
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    /// <summary>The county's 6-digit division code.</summary>
    public string County { get; private set; } = "";
    public int Year { get; private set; }
    public int Version { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The document as JSON, written by <see cref="DefaultScheme.Json"/> whether it arrived as JSON or YAML.</summary>
    public string Document { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Who stored it: the caller's name, else their subject or client id.</summary>
    public string? CreatedBy { get; private set; }

    public ActiveScheme ToActive() => new(new SchemeRef(County, Year, Version), SchemeText.Read(Document) with { Year = Year });

    /// <summary>The next version numbers from 1; the key refuses a second writer of the same number.</summary>
    internal void Renumber(int version) => Version = version;
}

internal sealed class SchemeVersionConfiguration : IEntityTypeConfiguration<SchemeVersion>
{
    public void Configure(EntityTypeBuilder<SchemeVersion> scheme)
    {
        scheme.ToTable("scheme_versions");
        // Two requests storing a version at once both read the same latest number; the key lets only one of them write it.
        scheme.HasKey(s => new { s.County, s.Year, s.Version });
        scheme.Property(s => s.County).HasMaxLength(6);
        scheme.Property(s => s.Name).HasMaxLength(SchemeValidator.MaxText);
        scheme.Property(s => s.CreatedBy).HasMaxLength(200);
    }
}
