using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;
using PracticeMesh.Grid.Data;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// The active grids' boundaries in an R-tree, built from the database on first use and again after
/// <see cref="Invalidate"/> (called by every grid write of this process). The standalone host is one process, so
/// the index it holds is never older than its own writes.
/// </summary>
public sealed class NtsGridIndex
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(GridGeometry.Factory) } };
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile Built? _built;

    private sealed record Built(STRtree<(string Code, int Level, IPreparedGeometry Shape)> Tree);

    public void Invalidate() => _built = null;

    public static Geometry ParseGeoJson(string json) =>
        JsonSerializer.Deserialize<Geometry>(json, GeoJson) ?? throw new JsonException("Empty GeoJSON geometry.");

    public static string ToGeoJson(Geometry geometry) => JsonSerializer.Serialize(geometry, GeoJson);

    public async Task<string?> LocateAsync(GridDbContext db, double latitude, double longitude, CancellationToken cancellationToken)
    {
        var built = _built ?? await BuildAsync(db, cancellationToken);
        var point = GridGeometry.PointAt(latitude, longitude);
        return built.Tree.Query(point.EnvelopeInternal)
            .Where(g => g.Shape.Covers(point))
            .OrderByDescending(g => g.Level).ThenBy(g => g.Code, StringComparer.Ordinal)
            .Select(g => g.Code).FirstOrDefault();
    }

    private async Task<Built> BuildAsync(GridDbContext db, CancellationToken cancellationToken)
    {
        await _building.WaitAsync(cancellationToken);
        try
        {
            if (_built is { } ready)
            {
                return ready;
            }
            var rows = await db.Grids.AsNoTracking().Where(g => g.RetiredAt == null && g.BoundaryGeoJson != null)
                .Select(g => new { g.Code, g.Level, g.BoundaryGeoJson }).ToListAsync(cancellationToken);
            var tree = new STRtree<(string, int, IPreparedGeometry)>();
            foreach (var row in rows)
            {
                var shape = ParseGeoJson(row.BoundaryGeoJson!);
                tree.Insert(shape.EnvelopeInternal, (row.Code, row.Level, PreparedGeometryFactory.Prepare(shape)));
            }
            tree.Build();
            var built = new Built(tree);
            _built = built;
            return built;
        }
        finally
        {
            _building.Release();
        }
    }
}

/// <summary><see cref="IGridLocator"/> on the in-memory index (SQLite, the standalone host).</summary>
public sealed class NtsGridLocator(GridDbContext db, NtsGridIndex index) : IGridLocator
{
    public Task<string?> LocateAsync(double latitude, double longitude, CancellationToken cancellationToken) =>
        index.LocateAsync(db, latitude, longitude, cancellationToken);
}
