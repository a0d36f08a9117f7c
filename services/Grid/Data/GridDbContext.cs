using Microsoft.EntityFrameworkCore;
using PracticeMesh.Grid.Domain;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.Data;

public sealed class GridDbContext(DbContextOptions<GridDbContext> options) : ServiceDbContext(options)
{
    public DbSet<GridCell> Grids => Set<GridCell>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<GridCell>(grid =>
        {
            grid.ToTable("grids");
            grid.HasKey(g => g.Id);
            grid.Property(g => g.Code).HasMaxLength(24);
            grid.HasIndex(g => g.Code).IsUnique();
            grid.Property(g => g.Name).HasMaxLength(100);
            grid.Property(g => g.ParentCode).HasMaxLength(24);
            grid.Property(g => g.CadreName).HasMaxLength(50);
        });
    }
}
