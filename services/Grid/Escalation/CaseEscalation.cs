using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Grid.Escalation;

/// <summary>
/// One step of a case up the tiers (督办), and the notice to the tier it reached: the village's, township's or county's
/// staff list the notices addressed within their scope. Unique per case and level, which is what makes racing sweeps
/// save (and publish) each step once.
/// </summary>
public sealed class CaseEscalation
{
    private CaseEscalation() { }

    public CaseEscalation(Guid caseId, string caseNumber, DivisionCode village, string? gridCode, string categoryCode, CaseStage stage, int level,
        DivisionCode escalatedTo, DateTimeOffset dueAt, DateTimeOffset at)
    {
        Id = TownshipGuid.New(village, at);
        CaseId = caseId;
        CaseNumber = caseNumber;
        DivisionCode = village;
        GridCode = gridCode;
        CategoryCode = categoryCode;
        Stage = stage;
        Level = level;
        EscalatedTo = escalatedTo;
        DueAt = dueAt;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string CaseNumber { get; private set; } = "";
    /// <summary>The village the case lies in.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public string? GridCode { get; private set; }
    public string CategoryCode { get; private set; } = "";
    /// <summary>The stage whose limit ran out.</summary>
    public CaseStage Stage { get; private set; }
    /// <summary>1 the village, 2 the township, 3 the county.</summary>
    public int Level { get; private set; }
    /// <summary>The tier notified: its staff see the notice.</summary>
    public DivisionCode EscalatedTo { get; private set; }
    /// <summary>When the stage's limit ran out.</summary>
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset At { get; private set; }
}

internal sealed class CaseEscalationMapping : IEntityTypeConfiguration<CaseEscalation>
{
    public void Configure(EntityTypeBuilder<CaseEscalation> entity)
    {
        entity.ToTable("case_escalations");
        entity.HasKey(e => e.Id);
        entity.HasIndex(e => new { e.CaseId, e.Level }).IsUnique();
        entity.Property(e => e.CaseNumber).HasMaxLength(PracticeMesh.Contracts.CaseNumber.MaxLength);
        entity.Property(e => e.GridCode).HasMaxLength(24);
        entity.Property(e => e.CategoryCode).HasMaxLength(40);
        entity.Property(e => e.Stage).HasConversion<string>().HasMaxLength(20);
        // A tier's notices, newest first.
        entity.HasIndex(e => new { e.EscalatedTo, e.At });
    }
}
