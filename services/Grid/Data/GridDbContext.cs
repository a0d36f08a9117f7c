using Microsoft.EntityFrameworkCore;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Domain;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.People;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.Data;

/// <summary>
/// The grid service's store. Each feature folder maps its own tables with an <see cref="IEntityTypeConfiguration{TEntity}"/>
/// next to its entities; this class only lists the sets.
/// </summary>
public sealed class GridDbContext(DbContextOptions<GridDbContext> options) : ServiceDbContext(options)
{
    public DbSet<GridCell> Grids => Set<GridCell>();
    public DbSet<GridCase> Cases => Set<GridCase>();
    public DbSet<CaseStep> CaseSteps => Set<CaseStep>();
    public DbSet<CaseCategory> CaseCategories => Set<CaseCategory>();
    public DbSet<KnownVillage> Villages => Set<KnownVillage>();
    public DbSet<KnownPerson> People => Set<KnownPerson>();
    public DbSet<GridAssignment> Assignments => Set<GridAssignment>();

    /// <summary>PostgreSQL holds boundaries in PostGIS; SQLite (the standalone host) keeps only their GeoJSON text.</summary>
    public bool Spatial => Database.IsNpgsql();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        if (Spatial)
        {
            modelBuilder.HasPostgresExtension("postgis");
        }
        modelBuilder.Entity<GridCell>(grid =>
        {
            grid.ToTable("grids");
            grid.HasKey(g => g.Id);
            grid.Property(g => g.Code).HasMaxLength(24);
            grid.HasIndex(g => g.Code).IsUnique();
            grid.Property(g => g.Name).HasMaxLength(100);
            grid.Property(g => g.ParentCode).HasMaxLength(24);
            grid.Property(g => g.RetiredReason).HasMaxLength(200);
            grid.Property(g => g.Version).IsConcurrencyToken();
            grid.Ignore(g => g.Active);
            if (Spatial)
            {
                grid.Property(g => g.Boundary).HasColumnType("geometry (polygon, 4326)");
                grid.HasIndex(g => g.Boundary).HasMethod("gist");
            }
            else
            {
                grid.Ignore(g => g.Boundary);
            }
        });
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GridDbContext).Assembly);
    }
}
