using System.Net;

namespace CivicEdge.Simulators.Host;

/// <summary>The options of <c>civicsim modbus</c>, parsed and checked for form.</summary>
internal sealed record ModbusCommandSettings(
    string Model,
    string? ProfilesDirectory,
    IPEndPoint Endpoint,
    byte Unit,
    int? Seed,
    TimeSpan UpdateInterval,
    IReadOnlyList<PinnedPoint> Pins);
