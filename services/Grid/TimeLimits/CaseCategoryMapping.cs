using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PracticeMesh.Grid.TimeLimits;

internal sealed class CaseCategoryMapping : IEntityTypeConfiguration<CaseCategory>
{
    public void Configure(EntityTypeBuilder<CaseCategory> entity)
    {
        entity.ToTable("case_categories");
        entity.HasKey(c => c.Code);
        entity.Property(c => c.Code).HasMaxLength(40);
        entity.Property(c => c.Name).HasMaxLength(50);
        entity.Property(c => c.Description).HasMaxLength(500);
        entity.ComplexProperty(c => c.AcceptWithin, l => l.Property(w => w.Unit).HasConversion<string>().HasMaxLength(20));
        entity.ComplexProperty(c => c.HandleWithin, l => l.Property(w => w.Unit).HasConversion<string>().HasMaxLength(20));
        entity.ComplexProperty(c => c.VerifyWithin, l => l.Property(w => w.Unit).HasConversion<string>().HasMaxLength(20));
        entity.Property(c => c.Version).IsConcurrencyToken();
    }
}
