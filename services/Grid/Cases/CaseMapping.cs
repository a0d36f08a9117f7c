using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PracticeMesh.Grid.Cases;

internal sealed class GridCaseMapping : IEntityTypeConfiguration<GridCase>
{
    public void Configure(EntityTypeBuilder<GridCase> entity)
    {
        entity.ToTable("cases");
        entity.HasKey(c => c.Id);
        entity.Property(c => c.Number).HasMaxLength(PracticeMesh.Contracts.CaseNumber.MaxLength);
        entity.HasIndex(c => c.Number).IsUnique();
        entity.HasIndex(c => c.FollowToken).IsUnique();
        entity.Property(c => c.GridCode).HasMaxLength(24);
        entity.Property(c => c.CategoryCode).HasMaxLength(40);
        entity.Property(c => c.Description).HasMaxLength(2000);
        entity.Property(c => c.Address).HasMaxLength(200);
        entity.Property(c => c.ReporterId).HasMaxLength(100);
        entity.Property(c => c.PartnerClientId).HasMaxLength(100);
        entity.Property(c => c.HandlerName).HasMaxLength(50);
        entity.Property(c => c.Resolution).HasMaxLength(1000);
        entity.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        entity.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        entity.Property(c => c.Stage).HasConversion<string>().HasMaxLength(20);
        entity.PrimitiveCollection(c => c.Media);
        entity.Property(c => c.Version).IsConcurrencyToken();
        entity.HasMany(c => c.Steps).WithOne().HasForeignKey(s => s.CaseId);
        // A township's open cases page, newest first; the escalation sweep reads open cases by due time.
        entity.HasIndex(c => new { c.DivisionCode, c.Status, c.ReportedAt });
        // The open cases alone (about one in eight), newest first: a township's open page and its count read only these.
        entity.HasIndex(c => new { c.DivisionCode, c.ReportedAt }, "IX_cases_open_DivisionCode_ReportedAt")
            .HasFilter("\"Status\" IN ('Reported', 'Accepted', 'Dispatched', 'Handled', 'Verified')");
        entity.HasIndex(c => new { c.Status, c.DueAt });
        // Possible duplicates: open cases of a category near a point (a latitude band first).
        entity.HasIndex(c => new { c.CategoryCode, c.Latitude });
    }
}

internal sealed class CaseStepMapping : IEntityTypeConfiguration<CaseStep>
{
    public void Configure(EntityTypeBuilder<CaseStep> entity)
    {
        entity.ToTable("case_steps");
        entity.HasKey(s => s.Id);
        // The id is made with the step: a step added to a loaded case's history is new (an insert), not a row to update.
        entity.Property(s => s.Id).ValueGeneratedNever();
        entity.HasIndex(s => new { s.CaseId, s.Sequence }).IsUnique();
        entity.Property(s => s.Action).HasConversion<string>().HasMaxLength(30);
        entity.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        entity.Property(s => s.ActorId).HasMaxLength(100);
        entity.Property(s => s.ActorName).HasMaxLength(50);
        entity.Property(s => s.ActorRole).HasMaxLength(30);
        entity.Property(s => s.Remark).HasMaxLength(1000);
        entity.PrimitiveCollection(s => s.Media);
    }
}
