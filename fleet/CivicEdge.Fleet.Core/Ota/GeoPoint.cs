using System.Globalization;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>A place on the earth, WGS 84 degrees: north and east positive.</summary>
public sealed record GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Reads <c>22.54,114.06</c> (latitude, longitude; a dot for the decimals).</summary>
    public static bool TryParse(string? text, out GeoPoint point)
    {
        point = null!;
        var parts = text?.Split(',', StringSplitOptions.TrimEntries);
        if (parts is not [var latitude, var longitude]
            || !double.TryParse(latitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(longitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
            return false;
        point = new GeoPoint(lat, lon);
        return true;
    }

    /// <summary>What is wrong with it, naming <paramref name="field"/>; null when it is a place on the earth.</summary>
    public string? Problem(string field) =>
        double.IsFinite(Latitude) && double.IsFinite(Longitude) && Math.Abs(Latitude) <= 90 && Math.Abs(Longitude) <= 180
            ? null
            : $"{field}: expected a latitude from -90 to 90 and a longitude from -180 to 180, found {this}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Latitude:0.####},{Longitude:0.####}");
}
