namespace CivicEdge.Fleet.Core.Ota;

/// <summary>What a <see cref="DaylightWindow"/> says of one device now.</summary>
/// <param name="IsOpen">True when an offer may start.</param>
/// <param name="HoldReason">Why the device cannot be offered at all today (no place known, no daylight window that day); null when it only waits for its window.</param>
public readonly record struct DaylightCheck(bool IsOpen, string? HoldReason);
