namespace CivicEdge.Gateway.Gpio;

/// <summary>What a pulse counter has counted since it was first configured, as persisted.</summary>
/// <param name="Key">The register it counts: <c>{DeviceId}/{TotalPoint}</c>, so renaming the input keeps the total.</param>
/// <param name="Pulses">Pulses counted.</param>
/// <param name="Millilitres">
/// Volume counted, in millilitres: each pulse adds the volume per pulse configured when it came, so changing that
/// setting never rewrites what was already counted, and whole numbers add up without rounding.
/// </param>
/// <param name="UpdatedAt">When it was last committed.</param>
public sealed record PulseTotal(string Key, long Pulses, long Millilitres, DateTimeOffset UpdatedAt);
