namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>Where a device is: coordinates for the city map, and the addresses people use.</summary>
/// <param name="Latitude">WGS 84 latitude in degrees, −90 to 90.</param>
/// <param name="Longitude">WGS 84 longitude in degrees, −180 to 180.</param>
/// <param name="Address">The street address or site name.</param>
/// <param name="PoleNumber">The number painted on the pole the device is mounted on.</param>
/// <param name="District">The district or county, as the city's roll-ups name it.</param>
public sealed record DeviceLocation(
    double? Latitude,
    double? Longitude,
    string? Address,
    string? PoleNumber,
    string? District);
