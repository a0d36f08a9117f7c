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

    private readonly Dictionary<CellKey, long> _cellDeltas = [];

    /// <summary>Adds to a cell at the next save (<see cref="CellLedger"/>), in its transaction.</summary>
    internal void AddCellDelta(CellKey key, long delta) => _cellDeltas[key] = _cellDeltas.GetValueOrDefault(key) + delta;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await ApplyCellDeltasAsync(cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        _cellDeltas.Count == 0 ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new InvalidOperationException("Cells are moved by SaveChangesAsync, which reads them first.");

    /// <summary>
    /// Moves the cells by the deltas held: the cells not tracked yet are read in one query (a superset: the subjects ×
    /// months × measures named), then each is added to, or started. The cells carry a version, so a concurrent save
    /// that moved the same cell makes this one fail and its retry add again.
    /// </summary>
    private async Task ApplyCellDeltasAsync(CancellationToken cancellationToken)
    {
        if (_cellDeltas.Count == 0)
        {
            return;
        }
        var tracked = MeasureCells.Local.ToDictionary(c => c.Key);
        var missing = _cellDeltas.Keys.Where(k => !tracked.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            var subjects = missing.Select(k => k.Subject).Distinct().ToList();
            var months = missing.Select(k => k.Month).Distinct().ToList();
            var measures = missing.Select(k => k.Measure).Distinct().ToList();
            var kinds = missing.Select(k => k.Kind).Distinct().ToList();
            var found = await MeasureCells.Where(c => subjects.Contains(c.Subject) && months.Contains(c.Month) && measures.Contains(c.Measure) && kinds.Contains(c.Kind))
                .ToListAsync(cancellationToken);
            foreach (var cell in found)
            {
                tracked.TryAdd(cell.Key, cell);
            }
        }
        foreach (var (key, delta) in _cellDeltas)
        {
            if (delta == 0)
            {
                continue;
            }
            if (!tracked.TryGetValue(key, out var cell))
            {
                cell = MeasureCell.Start(key);
                MeasureCells.Add(cell);
                tracked[key] = cell;
            }
            cell.Add(delta);
        }
        _cellDeltas.Clear();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AssessmentDbContext).Assembly);
    }
}
