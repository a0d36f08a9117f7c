using NetTopologySuite.Geometries;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// Finds the active grid whose boundary contains a point (WGS 84 longitude and latitude): the level-3 grid where one
/// contains it, else the level-2 grid; null when no grid with a boundary contains it. PostgreSQL answers with PostGIS
/// (a GiST index on the boundary column); the standalone host's SQLite has no spatial type, so an in-memory
/// NetTopologySuite index answers there.
/// </summary>
public interface IGridLocator
{
    Task<string?> LocateAsync(double latitude, double longitude, CancellationToken cancellationToken);
}

/// <summary>The one geometry factory: SRID 4326 (WGS 84), coordinates as (longitude, latitude).</summary>
public static class GridGeometry
{
    public const int Srid = 4326;

    public static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(Srid);

    public static Point PointAt(double latitude, double longitude) => Factory.CreatePoint(new Coordinate(longitude, latitude));
}
