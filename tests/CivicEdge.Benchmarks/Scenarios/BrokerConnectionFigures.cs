namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>What the embedded broker's authentication costs and what each device connection holds.</summary>
/// <param name="Devices">How many devices connected at once.</param>
/// <param name="HashIterations">PBKDF2-SHA512 iterations per secret (the fleet's default).</param>
/// <param name="FirstConnectionsPerSecond">Connections accepted per second when each secret is checked with PBKDF2 (after a fleet restart).</param>
/// <param name="ReconnectionsPerSecond">Connections accepted per second when the fleet has checked the secret before.</param>
/// <param name="RefusalsPerSecond">Wrong passwords refused per second (each costs the slow hash).</param>
/// <param name="IdleResidentMegabytes">The fleet's resident memory with no device connected.</param>
/// <param name="ConnectedResidentMegabytes">Its resident memory with every device connected.</param>
internal sealed record BrokerConnectionFigures(
    int Devices,
    int HashIterations,
    double FirstConnectionsPerSecond,
    double ReconnectionsPerSecond,
    double RefusalsPerSecond,
    double IdleResidentMegabytes,
    double ConnectedResidentMegabytes)
{
    /// <summary>Resident memory per connected device, in KiB.</summary>
    public double KilobytesPerConnection => (ConnectedResidentMegabytes - IdleResidentMegabytes) * 1024 / Devices;
}
