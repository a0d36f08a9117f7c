using Microsoft.EntityFrameworkCore;
using PracticeMesh.Grid.Data;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// <see cref="IGridLocator"/> on PostgreSQL: PostGIS answers on the GiST-indexed boundary column, so every replica
/// sees every other's writes at once and nothing is held in memory. <c>ST_Covers</c>, not <c>ST_Contains</c>: a point
/// on a grid's edge belongs to it (and to its neighbour, where the lower code wins, as in the in-memory index).
/// </summary>
public sealed class PostGisGridLocator(GridDbContext db) : IGridLocator
{
    public async Task<string?> LocateAsync(double latitude, double longitude, CancellationToken cancellationToken)
    {
        var found = await db.Database.SqlQuery<string>($"""
            SELECT "Code" AS "Value" FROM grids
            WHERE "RetiredAt" IS NULL AND "Boundary" IS NOT NULL
              AND ST_Covers("Boundary", ST_SetSRID(ST_MakePoint({longitude}, {latitude}), 4326))
            ORDER BY "Level" DESC, "Code"
            LIMIT 1
            """).ToListAsync(cancellationToken);
        return found.FirstOrDefault();
    }
}
