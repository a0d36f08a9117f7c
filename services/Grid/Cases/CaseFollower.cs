using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PracticeMesh.Grid.Cases;

/// <summary>
/// A reporter who follows a case they did not report: the reporter of a duplicate merged into it (and whoever already
/// followed that duplicate). A case's own reporter always follows it and has no row here. A partner's reporter has no
/// subject; its follow token (Open311's token) still leads to the surviving case.
/// </summary>
public sealed class CaseFollower
{
    private CaseFollower() { }

    public CaseFollower(Guid caseId, string? reporterSubject, Guid followToken, Guid fromCaseId, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        CaseId = caseId;
        ReporterSubject = reporterSubject;
        FollowToken = followToken;
        FromCaseId = fromCaseId;
        At = at;
    }

    public Guid Id { get; private set; }
    /// <summary>The case followed (the survivor of a merge).</summary>
    public Guid CaseId { get; private set; }
    /// <summary>The follower's token subject (a person id); null for a partner system's reporter.</summary>
    public string? ReporterSubject { get; private set; }
    /// <summary>The follow token of the case the follower reported.</summary>
    public Guid FollowToken { get; private set; }
    /// <summary>The duplicate whose reporter this is.</summary>
    public Guid FromCaseId { get; private set; }
    public DateTimeOffset At { get; private set; }
}

internal sealed class CaseFollowerMapping : IEntityTypeConfiguration<CaseFollower>
{
    public void Configure(EntityTypeBuilder<CaseFollower> entity)
    {
        entity.ToTable("case_followers");
        entity.HasKey(f => f.Id);
        entity.Property(f => f.ReporterSubject).HasMaxLength(100);
        entity.HasIndex(f => new { f.CaseId, f.FollowToken }).IsUnique();
        // "My cases": the cases a person follows.
        entity.HasIndex(f => f.ReporterSubject);
        // Open311's tokens/{token}: a merged duplicate's token leads to the survivor.
        entity.HasIndex(f => f.FollowToken);
    }
}
