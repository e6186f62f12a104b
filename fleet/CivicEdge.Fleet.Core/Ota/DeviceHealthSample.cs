namespace CivicEdge.Fleet.Core.Ota;

/// <summary>What the fleet last knew of a device's health when a campaign looked: the version it reports and the verdict.</summary>
/// <param name="RunningVersion">The version the device (or its gateway for it) reports running; null when unknown.</param>
/// <param name="Healthy">True when its health verdict is healthy: online and every point answering.</param>
public sealed record DeviceHealthSample(string? RunningVersion, bool Healthy);
