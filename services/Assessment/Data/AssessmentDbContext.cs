using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Domain;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Assessment.Data;

public sealed class AssessmentDbContext(DbContextOptions<AssessmentDbContext> options) : ServiceDbContext(options)
{
    public DbSet<StationMonth> StationMonths => Set<StationMonth>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<StationMonth>(month =>
        {
            month.ToTable("station_months");
            month.HasKey(m => new { m.StationCode, m.Month });
            month.Property(m => m.StationCode).HasMaxLength(20);
            month.Property(m => m.Month).HasMaxLength(7);
            month.Ignore(m => m.VolunteerHours);
            month.HasIndex(m => new { m.Month, m.DivisionCode });
            // Concurrent consumers read-modify-write the same row; the loser's save fails and the retry counts it again.
            month.Property(m => m.Version).IsConcurrencyToken();
        });
    }
}
