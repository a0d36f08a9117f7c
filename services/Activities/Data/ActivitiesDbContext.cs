using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Domain;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Activities.Data;

public sealed class ActivitiesDbContext(DbContextOptions<ActivitiesDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<KnownStation> Stations => Set<KnownStation>();
    public DbSet<KnownVolunteer> Volunteers => Set<KnownVolunteer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Activity>(activity =>
        {
            activity.ToTable("activities");
            activity.HasKey(a => a.Id);
            activity.Property(a => a.StationCode).HasMaxLength(20);
            activity.Property(a => a.Title).HasMaxLength(200);
            activity.Property(a => a.Category).HasConversion<string>().HasMaxLength(24);
            activity.Property(a => a.Status).HasConversion<string>().HasMaxLength(12);
            activity.HasIndex(a => new { a.StationCode, a.StartsAt });
            activity.HasMany(a => a.SignUps).WithOne().HasForeignKey(s => s.ActivityId);
            activity.Navigation(a => a.SignUps).HasField("_signUps").UsePropertyAccessMode(PropertyAccessMode.Field);
            // Two organisers completing at once: the second save fails instead of publishing twice.
            activity.Property(a => a.Status).IsConcurrencyToken();
        });
        modelBuilder.Entity<SignUp>(signUp =>
        {
            signUp.ToTable("sign_ups");
            signUp.HasKey(s => new { s.ActivityId, s.VolunteerId });
        });
        modelBuilder.Entity<KnownStation>(station =>
        {
            station.ToTable("known_stations");
            station.HasKey(s => s.Code);
            station.Property(s => s.Code).HasMaxLength(20);
            station.Property(s => s.Name).HasMaxLength(100);
        });
        modelBuilder.Entity<KnownVolunteer>(volunteer =>
        {
            volunteer.ToTable("known_volunteers");
            volunteer.HasKey(v => v.Id);
            volunteer.Property(v => v.DisplayName).HasMaxLength(50);
        });
    }
}
