using System.Globalization;
using System.Text.Json;

namespace PracticeMesh.WebConsole.Components.Shared;

public enum GeoFeatureKind { Station, Venue, Grid }

/// <summary>A feature to draw: a point (a station or venue) or the rings of a polygon (a grid), positions [longitude, latitude].</summary>
public sealed record GeoFeature(GeoFeatureKind Kind, string Code, string Name, IReadOnlyList<IReadOnlyList<(double Lon, double Lat)>> Rings)
{
    public (double Lon, double Lat) Point => Rings[0][0];

    /// <summary>The features of a GeoJSON FeatureCollection (the stations' and the grids' exports), points and polygons only.</summary>
    public static List<GeoFeature> Read(JsonElement collection, GeoFeatureKind polygonKind = GeoFeatureKind.Grid)
    {
        var features = new List<GeoFeature>();
        if (collection.ValueKind != JsonValueKind.Object || !collection.TryGetProperty("features", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return features;
        }
        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var properties = item.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var name = Text(properties, "name") ?? Text(properties, "code") ?? "";
            var code = Text(properties, "code") ?? Text(properties, "id") ?? (item.TryGetProperty("id", out var id) ? id.ToString() : name);
            var coordinates = geometry.GetProperty("coordinates");
            switch (Text(geometry, "type"))
            {
                case "Point":
                    var kind = Text(properties, "type") == "venue" ? GeoFeatureKind.Venue : GeoFeatureKind.Station;
                    features.Add(new GeoFeature(kind, code, name, [[Position(coordinates)]]));
                    break;
                case "Polygon":
                    features.Add(new GeoFeature(polygonKind, code, name, ReadRings(coordinates)));
                    break;
                case "MultiPolygon":
                    features.Add(new GeoFeature(polygonKind, code, name, [.. coordinates.EnumerateArray().SelectMany(ReadRings)]));
                    break;
            }
        }
        return features;
    }

    /// <summary>
    /// The stations and venues (the stations service's GeoJSON) and the grids (the grid service's) under a division,
    /// as far as the API lets the person see; a refusal leaves that part out and says why.
    /// </summary>
    public static async Task<(List<GeoFeature> Features, string? Problem)> LoadAsync(Api.ConsoleApi api, string under)
    {
        var stations = ReadAsync(api, $"/api/v1/stations/geojson?under={under}");
        var grids = ReadAsync(api, $"/api/v1/grid/grids/geojson?under={under}");
        var (points, pointsProblem) = await stations;
        var (polygons, gridsProblem) = await grids;
        return ([.. Read(polygons), .. Read(points)], pointsProblem ?? gridsProblem);
    }

    private static async Task<(JsonElement, string?)> ReadAsync(Api.ConsoleApi api, string path)
    {
        try
        {
            return (await api.GetAsync<JsonElement>(path), null);
        }
        catch (Api.ApiProblemException ex)
        {
            return (default, ex.Problem.PlainWords);
        }
    }

    private static List<IReadOnlyList<(double, double)>> ReadRings(JsonElement polygon) =>
        [.. polygon.EnumerateArray().Select(ring => (IReadOnlyList<(double, double)>)[.. ring.EnumerateArray().Select(Position)])];

    private static (double, double) Position(JsonElement position) => (position[0].GetDouble(), position[1].GetDouble());

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Longitude and latitude into an SVG viewBox: the features' bounding box fills it less a margin, east to the right,
/// north up, a degree of longitude shortened by the cosine of the middle latitude so that shapes keep their proportions.
/// </summary>
public sealed class GeoProjection
{
    public const double Width = 1000;
    public const double Margin = 20;

    private readonly double _west, _north, _scale, _lonFactor;

    public double Height { get; }

    public GeoProjection(IEnumerable<(double Lon, double Lat)> positions)
    {
        var all = positions.ToList();
        if (all.Count == 0)
        {
            all = [(0, 0)];
        }
        var (west, east) = (all.Min(p => p.Lon), all.Max(p => p.Lon));
        var (south, north) = (all.Min(p => p.Lat), all.Max(p => p.Lat));
        _lonFactor = Math.Cos((south + north) / 2 * Math.PI / 180);
        // A single point, or points on a line, still get a box to sit in.
        var spanX = Math.Max((east - west) * _lonFactor, 0.002);
        var spanY = Math.Max(north - south, 0.002);
        _west = west - (spanX / _lonFactor - (east - west)) / 2;
        _north = north + (spanY - (north - south)) / 2;
        _scale = (Width - 2 * Margin) / spanX;
        Height = Math.Round(spanY * _scale + 2 * Margin, 1);
    }

    public (double X, double Y) Project(double lon, double lat) =>
        (Math.Round(Margin + (lon - _west) * _lonFactor * _scale, 1), Math.Round(Margin + (_north - lat) * _scale, 1));

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Height}");

    /// <summary>An SVG path of the rings (holes drawn with the even-odd rule).</summary>
    public string Path(GeoFeature feature) =>
        string.Join(" ", feature.Rings.Select(ring =>
            "M" + string.Join(" L", ring.Select(p => Coordinates(Project(p.Lon, p.Lat)))) + " Z"));

    public static string Coordinates((double X, double Y) point) => string.Create(CultureInfo.InvariantCulture, $"{point.X},{point.Y}");
}
