using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Data;

public sealed class StationsDbContext(DbContextOptions<StationsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Station> Stations => Set<Station>();

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
        });
    }
}
