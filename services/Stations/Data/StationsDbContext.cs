using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Data;

public sealed class StationsDbContext(DbContextOptions<StationsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Station> Stations => Set<Station>();
    public DbSet<StaffMember> Staff => Set<StaffMember>();
    public DbSet<SixHavesRecord> SixHaves => Set<SixHavesRecord>();
    public DbSet<Venue> Venues => Set<Venue>();
    public DbSet<Pairing> Pairings => Set<Pairing>();
    public DbSet<TreeVersion> TreeVersions => Set<TreeVersion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Station>(station =>
        {
            station.ToTable("stations");
            station.HasKey(s => s.Id);
            station.Property(s => s.Code).HasMaxLength(20);
            station.HasIndex(s => s.Code).IsUnique();
            station.Property(s => s.Name).HasMaxLength(100);
            station.Property(s => s.ParentCode).HasMaxLength(20);
            station.HasIndex(s => s.ParentCode);
            station.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
            station.Property(s => s.Status).HasConversion<string>().HasMaxLength(10);
            station.Property(s => s.Tier).HasConversion<string>().HasMaxLength(10);
            station.Property(s => s.Address).HasMaxLength(200);
            station.Property(s => s.ClosedReason).HasMaxLength(500);
        });
        modelBuilder.Entity<StaffMember>(staff =>
        {
            staff.ToTable("station_staff");
            staff.HasKey(s => s.Id);
            staff.Property(s => s.StationCode).HasMaxLength(20);
            staff.HasIndex(s => s.StationCode);
            staff.Property(s => s.Name).HasMaxLength(50);
            staff.Property(s => s.Post).HasMaxLength(50);
            staff.Property(s => s.Role).HasConversion<string>().HasMaxLength(10);
        });
        modelBuilder.Entity<SixHavesRecord>(record =>
        {
            record.ToTable("six_haves");
            record.HasKey(r => r.Id);
            record.Property(r => r.StationCode).HasMaxLength(20);
            record.Property(r => r.Item).HasMaxLength(SixHavesChecklist.MaxKeyLength);
            // One record per station and item; a race to create it is a unique violation, not a duplicate.
            record.HasIndex(r => new { r.StationCode, r.Item }).IsUnique();
            record.Property(r => r.EvidenceText).HasMaxLength(2000);
            // Stored as a JSON text column: portable across providers, and read only as a whole.
            record.Property(r => r.Attachments).HasConversion(
                    list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
                    text => JsonSerializer.Deserialize<List<string>>(text, (JsonSerializerOptions?)null) ?? new List<string>())
                .Metadata.SetValueComparer(new ValueComparer<List<string>>(
                    (a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode())), list => list.ToList()));
            record.Property(r => r.Verdict).HasConversion<string>().HasMaxLength(10);
            record.Property(r => r.Remark).HasMaxLength(1000);
            record.Property(r => r.VerifiedBy).HasMaxLength(100);
            record.Property(r => r.VerifierName).HasMaxLength(100);
            record.Property(r => r.VerifierDivision).HasMaxLength(12);
        });
        modelBuilder.Entity<Venue>(venue =>
        {
            venue.ToTable("venues");
            venue.HasKey(v => v.Id);
            venue.Property(v => v.StationCode).HasMaxLength(20);
            venue.HasIndex(v => v.StationCode);
            venue.Property(v => v.Platform).HasConversion<string>().HasMaxLength(20);
            venue.Property(v => v.Name).HasMaxLength(100);
            venue.Property(v => v.Address).HasMaxLength(200);
            venue.Property(v => v.OpeningHours).HasMaxLength(100);
        });
        modelBuilder.Entity<Pairing>(pairing =>
        {
            pairing.ToTable("pairings");
            pairing.HasKey(p => p.Id);
            pairing.Property(p => p.StationCode).HasMaxLength(20);
            pairing.HasIndex(p => p.StationCode);
            pairing.Property(p => p.PartnerUnit).HasMaxLength(100);
            pairing.HasMany(p => p.PlanItems).WithOne().HasForeignKey(i => i.PairingId);
        });
        modelBuilder.Entity<PairingPlanItem>(item =>
        {
            item.ToTable("pairing_plan_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.Title).HasMaxLength(100);
            item.Property(i => i.Content).HasMaxLength(1000);
        });
        modelBuilder.Entity<TreeVersion>(version =>
        {
            version.ToTable("tree_versions");
            version.HasKey(v => v.County);
            version.Property(v => v.County).HasMaxLength(6);
        });
    }
}
