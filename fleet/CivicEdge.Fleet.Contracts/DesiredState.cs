namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The twin's desired state, retained on <see cref="Topics.Desired"/>: what the fleet wants the gateway to run. The
/// fleet raises <see cref="Version"/> on every change; a gateway applies a version once and answers on
/// <see cref="Topics.Reported"/>.
/// </summary>
/// <param name="Version">Raised by the fleet on every change, starting at 1.</param>
/// <param name="UpdatedAt">When the fleet accepted this version (UTC).</param>
/// <param name="Configuration">
/// The buses, devices and profiles to run; null when the fleet has withdrawn its configuration and the gateway's local
/// file applies again.
/// </param>
public sealed record DesiredState(long Version, DateTimeOffset UpdatedAt, DesiredConfiguration? Configuration);
