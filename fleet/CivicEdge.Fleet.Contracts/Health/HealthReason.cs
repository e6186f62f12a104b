namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>One finding against a device.</summary>
/// <param name="Code">Stable for scripts: <c>late</c>, <c>offline</c>, <c>comm_errors</c>, <c>comm_lost</c>,
/// <c>quality</c>, <c>open_alarm</c>, <c>gateway_offline</c>, <c>outbox_backlog</c>, <c>disk</c>, <c>uplink</c>,
/// <c>supply_voltage</c>, <c>firmware_drift</c>, <c>restarted</c>.</param>
/// <param name="Verdict">The verdict this finding alone would give: degraded or failing.</param>
/// <param name="Message">What was found, for people, with the figures.</param>
public sealed record HealthReason(string Code, DeviceVerdict Verdict, string Message);
