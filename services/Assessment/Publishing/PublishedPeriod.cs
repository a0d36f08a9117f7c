using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Assessment.Schemes;

namespace PracticeMesh.Assessment.Publishing;

/// <summary>
/// A county's period whose results were published (公布): one row per county and period, so publishing it a second
/// time (or twice at once) breaks the key and writes nothing. Names the scheme version that produced the results.
/// </summary>
public sealed class PublishedPeriod
{
    private PublishedPeriod() { }

    public string County { get; private set; } = "";
    /// <summary>"2026-03", "2026-Q1" or "2026" (<see cref="Periods.Period.ToString"/>).</summary>
    public string Period { get; private set; } = "";
    public int SchemeYear { get; private set; }
    public int SchemeVersion { get; private set; }
    public DateTimeOffset PublishedAt { get; private set; }
    /// <summary>Who published: the caller's name, else their subject or client id.</summary>
    public string? PublishedBy { get; private set; }
    public int Stations { get; private set; }
    public int Institutes { get; private set; }

    public SchemeRef Scheme => new(County, SchemeYear, SchemeVersion);

    public static PublishedPeriod From(string county, string period, SchemeRef scheme, DateTimeOffset at, string? by, int stations, int institutes) =>
        new()
        {
            County = county, Period = period, SchemeYear = scheme.Year, SchemeVersion = scheme.Version, PublishedAt = at, PublishedBy = by,
            Stations = stations, Institutes = institutes,
        };
}

/// <summary>
/// One subject's frozen result in a published period: its place in its ranking (stations within their township,
/// institutes within the county), its total and stars, and the whole explained score as it stood (JSON), so a later
/// change of facts shows as a difference against it and never changes it.
/// </summary>
public sealed class PublishedResult
{
    private PublishedResult() { }

    public string County { get; private set; } = "";
    public string Period { get; private set; } = "";
    public AssessmentTier Tier { get; private set; }
    public string Subject { get; private set; } = "";
    /// <summary>The ranking the rank is within: the township (stations) or the county (institutes).</summary>
    public string RankedWithin { get; private set; } = "";
    public int Rank { get; private set; }
    public string? Name { get; private set; }
    public decimal Total { get; private set; }
    public int Stars { get; private set; }
    public string? StarName { get; private set; }
    /// <summary>The <see cref="Scoring.SubjectScore"/> as published, in the scheme documents' JSON.</summary>
    public string ScoreJson { get; private set; } = "";

    public static PublishedResult From(string county, string period, string rankedWithin, int rank, Scoring.SubjectScore score, string scoreJson) =>
        new()
        {
            County = county, Period = period, Tier = score.Tier, Subject = score.Subject, RankedWithin = rankedWithin, Rank = rank,
            Name = score.Name, Total = score.Total, Stars = score.Stars, StarName = score.StarName, ScoreJson = scoreJson,
        };
}

internal sealed class PublishedPeriodConfiguration : IEntityTypeConfiguration<PublishedPeriod>
{
    public void Configure(EntityTypeBuilder<PublishedPeriod> period)
    {
        period.ToTable("published_periods");
        // The key is the rule "a period is published once": a second publish, however close, breaks it.
        period.HasKey(p => new { p.County, p.Period });
        period.Property(p => p.County).HasMaxLength(6);
        period.Property(p => p.Period).HasMaxLength(7);
        period.Property(p => p.PublishedBy).HasMaxLength(100);
        period.Ignore(p => p.Scheme);
    }
}

internal sealed class PublishedResultConfiguration : IEntityTypeConfiguration<PublishedResult>
{
    public void Configure(EntityTypeBuilder<PublishedResult> result)
    {
        result.ToTable("published_results");
        result.HasKey(r => new { r.County, r.Period, r.Tier, r.Subject });
        result.Property(r => r.County).HasMaxLength(6);
        result.Property(r => r.Period).HasMaxLength(7);
        result.Property(r => r.Tier).HasConversion<string>().HasMaxLength(10);
        result.Property(r => r.Subject).HasMaxLength(20);
        result.Property(r => r.RankedWithin).HasMaxLength(12);
        result.Property(r => r.Name).HasMaxLength(100);
        result.Property(r => r.Total).HasPrecision(18, 6);
        result.Property(r => r.StarName).HasMaxLength(50);
        result.HasOne<PublishedPeriod>().WithMany().HasForeignKey(r => new { r.County, r.Period }).OnDelete(DeleteBehavior.Restrict);
    }
}
