using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Data;

public sealed class VolunteersDbContext(DbContextOptions<VolunteersDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Volunteer> Volunteers => Set<Volunteer>();
    public DbSet<HourLedgerEntry> HourLedger => Set<HourLedgerEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Volunteer>(volunteer =>
        {
            volunteer.ToTable("volunteers");
            volunteer.HasKey(v => v.Id);
            volunteer.Property(v => v.Name).HasMaxLength(50);
            volunteer.Property(v => v.Status).HasConversion<string>().HasMaxLength(12);
            volunteer.Property(v => v.RejectionReason).HasMaxLength(500);
            volunteer.HasIndex(v => v.DivisionCode);
        });
        modelBuilder.Entity<HourLedgerEntry>(entry =>
        {
            entry.ToTable("hour_ledger");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Ignore(e => e.Hours);
            // Exactly one credit per activity and volunteer, whatever the redeliveries.
            entry.HasIndex(e => new { e.ActivityId, e.VolunteerId }).IsUnique();
            entry.HasIndex(e => new { e.VolunteerId, e.ServedOn });
        });
    }
}
