namespace CivicEdge.Fleet.Contracts;

/// <summary>The answer of <c>GET /api/devices/{id}/twin</c>: what the fleet wants and what the device last said.</summary>
/// <param name="DeviceId">The gateway's (or IP device's) unified device code.</param>
/// <param name="Desired">The desired state; null when the fleet never set one.</param>
/// <param name="Reported">The last reported state received; null before the first.</param>
/// <param name="ReportedAt">When the fleet received <paramref name="Reported"/> (UTC).</param>
public sealed record DeviceTwin(string DeviceId, DesiredState? Desired, ReportedState? Reported, DateTimeOffset? ReportedAt);
