namespace CivicEdge.Gateway.EdgeRules;

/// <summary>A device the gateway runs, as edge rules see it: its unified device code and its model.</summary>
/// <param name="DeviceId">The unified device code.</param>
/// <param name="Model">Its profile's model, or <c>gpio-door</c> for a door contact on the gateway's own inputs.</param>
public sealed record RunningDevice(string DeviceId, string Model);
