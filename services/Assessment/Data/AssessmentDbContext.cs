using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Domain;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Assessment.Data;

public sealed class AssessmentDbContext(DbContextOptions<AssessmentDbContext> options) : ServiceDbContext(options)
{
    public DbSet<StationMonth> StationMonths => Set<StationMonth>();

    /// <summary>The station's record for the month of <paramref name="at"/>, started (and tracked as new) when it has none.</summary>
    public async Task<StationMonth> StationMonthAsync(string stationCode, DivisionCode division, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var month = StationMonth.MonthOf(at);
        if (await StationMonths.FindAsync([stationCode, month], cancellationToken) is { } record)
        {
            return record;
        }
        record = StationMonth.Start(stationCode, division, month);
        StationMonths.Add(record);
        return record;
    }

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
