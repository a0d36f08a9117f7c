namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// Great-circle distances on the WGS 84 mean sphere, good to a metre at a village's scale: "within a radius of the
/// venue" for check-ins, "an open case this close" for grid duplicates.
/// </summary>
public static class GeoDistance
{
    public const double EarthRadiusMeters = 6_371_008.8;
    public const double MetersPerDegreeLatitude = Math.PI * EarthRadiusMeters / 180;

    /// <summary>Haversine distance in metres.</summary>
    public static double Meters(double lat1, double lon1, double lat2, double lon2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
