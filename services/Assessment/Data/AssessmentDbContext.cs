using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Honours;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Publishing;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Assessment.Data;

/// <summary>
/// Assessment's own store: the facts taken from the other services' events (kept, so any figure can be recomputed),
/// the monthly cells summed from them, and what assessment itself owns (schemes, published results, honours).
/// Each part's mapping lives beside it as an <see cref="IEntityTypeConfiguration{TEntity}"/>.
/// </summary>
public sealed class AssessmentDbContext(DbContextOptions<AssessmentDbContext> options) : ServiceDbContext(options)
{
    public DbSet<MeasureCell> MeasureCells => Set<MeasureCell>();
    public DbSet<LeaderboardMark> LeaderboardMarks => Set<LeaderboardMark>();
    public DbSet<StationFact> StationFacts => Set<StationFact>();
    public DbSet<SixHavesFact> SixHavesFacts => Set<SixHavesFact>();
    public DbSet<StaffingFact> StaffingFacts => Set<StaffingFact>();
    public DbSet<VolunteerFact> VolunteerFacts => Set<VolunteerFact>();
    public DbSet<VolunteerStatusFact> VolunteerStatusFacts => Set<VolunteerStatusFact>();
    public DbSet<TeamFact> TeamFacts => Set<TeamFact>();
    public DbSet<TeamMembershipFact> TeamMembershipFacts => Set<TeamMembershipFact>();
    public DbSet<ActivityFact> ActivityFacts => Set<ActivityFact>();
    public DbSet<ParticipationFact> ParticipationFacts => Set<ParticipationFact>();
    public DbSet<HoursFact> HoursFacts => Set<HoursFact>();
    public DbSet<RatingFact> RatingFacts => Set<RatingFact>();
    public DbSet<OrderFact> OrderFacts => Set<OrderFact>();
    public DbSet<CareVisitFact> CareVisitFacts => Set<CareVisitFact>();
    public DbSet<CaseFact> CaseFacts => Set<CaseFact>();
    public DbSet<PublishedPeriod> PublishedPeriods => Set<PublishedPeriod>();
    public DbSet<PublishedResult> PublishedResults => Set<PublishedResult>();
    public DbSet<HonourList> HonourLists => Set<HonourList>();
    public DbSet<HonourEntry> HonourEntries => Set<HonourEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AssessmentDbContext).Assembly);
    }
}
