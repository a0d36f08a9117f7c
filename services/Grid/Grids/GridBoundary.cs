using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// The rules a grid's boundary keeps: a valid GeoJSON Polygon in WGS 84 inside China, not overlapping the grids
/// beside it, and inside its parent. Every failure names the field (<c>boundary</c>, or <c>parts[i].boundary</c>).
/// </summary>
public static class GridBoundary
{
    /// <summary>
    /// Overlaps smaller than this (square degrees, about 1 m² at the county's latitude) are taken as shared edges that
    /// floating-point arithmetic did not meet exactly, not as two grids claiming the same ground.
    /// </summary>
    public const double OverlapToleranceSquareDegrees = 1e-10;

    /// <summary>China's longitude and latitude box (mainland and islands, generously): a point outside it is a typo or swapped axes.</summary>
    private static readonly Envelope China = new(73, 136, 3, 54);

    /// <summary>Reads a GeoJSON Polygon object; null when absent. Throws a 400 naming <paramref name="field"/> when it is not a valid polygon in China.</summary>
    public static Polygon? Parse(JsonElement? boundary, string field = "boundary")
    {
        if (boundary is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("type", out var type) || type.GetString() != "Polygon")
        {
            throw new DomainValidationException(field, "A GeoJSON Polygon object is required: {\"type\":\"Polygon\",\"coordinates\":[[[lon,lat],...]]}.");
        }
        Geometry geometry;
        try
        {
            geometry = NtsGridIndex.ParseGeoJson(json.GetRawText());
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            // NTS refuses an unclosed ring or one of fewer than four positions while building it.
            throw new DomainValidationException(field, $"The polygon cannot be read: {ex.Message} (a ring is closed and has at least 4 positions).");
        }
        if (geometry is not Polygon polygon || polygon.IsEmpty)
        {
            throw new DomainValidationException(field, "A non-empty GeoJSON Polygon is required.");
        }
        polygon.SRID = GridGeometry.Srid;
        var validity = new IsValidOp(polygon).ValidationError;
        if (validity is not null)
        {
            throw new DomainValidationException(field, $"The polygon is not valid: {validity.Message} at ({validity.Coordinate?.X}, {validity.Coordinate?.Y}).");
        }
        if (!China.Contains(polygon.EnvelopeInternal))
        {
            throw new DomainValidationException(field, "The polygon lies outside China: coordinates are [longitude, latitude] in WGS 84.");
        }
        if (polygon.Area <= OverlapToleranceSquareDegrees)
        {
            throw new DomainValidationException(field, "The polygon has no area.");
        }
        return polygon;
    }

    /// <summary>True when two boundaries share ground (their interiors meet in more than a sliver); touching edges do not count.</summary>
    public static bool Overlap(Geometry a, Geometry b) =>
        a.EnvelopeInternal.Intersects(b.EnvelopeInternal)
        && a.Relate(b, "2********")
        && a.Intersection(b).Area > OverlapToleranceSquareDegrees;

    /// <summary>True when <paramref name="inner"/> lies within <paramref name="outer"/>, give or take a sliver along the edge.</summary>
    public static bool Within(Geometry inner, Geometry outer) =>
        inner.Difference(outer).Area <= OverlapToleranceSquareDegrees;
}
