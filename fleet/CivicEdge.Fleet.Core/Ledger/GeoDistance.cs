namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>Great-circle distances on the WGS 84 mean sphere, good to about 0.5 % — plenty to tell 50 m from 500 m.</summary>
public static class GeoDistance
{
    /// <summary>The mean Earth radius (IUGG), in metres.</summary>
    public const double EarthRadiusMetres = 6_371_008.8;

    private const double MetresPerDegreeLatitude = Math.PI * EarthRadiusMetres / 180;

    /// <summary>The haversine distance between two points given in degrees, in metres.</summary>
    public static double Metres(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var phi1 = Radians(latitude1);
        var phi2 = Radians(latitude2);
        var sinHalfDeltaPhi = Math.Sin(Radians(latitude2 - latitude1) / 2);
        var sinHalfDeltaLambda = Math.Sin(Radians(longitude2 - longitude1) / 2);
        var h = (sinHalfDeltaPhi * sinHalfDeltaPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinHalfDeltaLambda * sinHalfDeltaLambda);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>
    /// A latitude/longitude box holding every point within <paramref name="radiusMetres"/> of the centre, for a store to
    /// narrow a search before distances are computed; longitudes span everything near the poles or the antimeridian.
    /// </summary>
    public static GeoBox BoxAround(double latitude, double longitude, double radiusMetres)
    {
        var deltaLatitude = radiusMetres / MetresPerDegreeLatitude;
        var minLatitude = Math.Max(-90, latitude - deltaLatitude);
        var maxLatitude = Math.Min(90, latitude + deltaLatitude);
        var widestCos = Math.Cos(Radians(Math.Max(Math.Abs(minLatitude), Math.Abs(maxLatitude))));
        if (widestCos < 1e-6)
            return new GeoBox(minLatitude, maxLatitude, -180, 180);

        var deltaLongitude = deltaLatitude / widestCos;
        var minLongitude = longitude - deltaLongitude;
        var maxLongitude = longitude + deltaLongitude;
        return minLongitude < -180 || maxLongitude > 180
            ? new GeoBox(minLatitude, maxLatitude, -180, 180)
            : new GeoBox(minLatitude, maxLatitude, minLongitude, maxLongitude);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
