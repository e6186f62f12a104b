namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>A latitude/longitude rectangle in degrees, bounds included.</summary>
public sealed record GeoBox(double MinLatitude, double MaxLatitude, double MinLongitude, double MaxLongitude)
{
    public bool Contains(double latitude, double longitude) =>
        latitude >= MinLatitude && latitude <= MaxLatitude && longitude >= MinLongitude && longitude <= MaxLongitude;
}
