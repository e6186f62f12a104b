namespace CivicEdge.Fleet.Contracts;

/// <summary>The gateway's link to the fleet's MQTT broker.</summary>
/// <param name="Connected">True while connected.</param>
/// <param name="Since">When the link last came up (connected) or went down (not connected); null before the first attempt.</param>
/// <param name="LastError">Why the last connection failed or was lost; null if none has.</param>
/// <param name="LastErrorAt">When that happened.</param>
/// <param name="FailedAttempts">Connection attempts that failed since the last success.</param>
public sealed record UplinkHealth(bool Connected, DateTimeOffset? Since, string? LastError, DateTimeOffset? LastErrorAt, int FailedAttempts);
