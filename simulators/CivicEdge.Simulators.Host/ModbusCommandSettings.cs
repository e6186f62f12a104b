using System.Net;
using CivicEdge.Modbus;
using CivicEdge.Transports;

namespace CivicEdge.Simulators.Host;

/// <summary>The options of <c>civicsim modbus</c>, parsed and checked for form.</summary>
internal sealed record ModbusCommandSettings(
    IReadOnlyList<DeviceOption> Devices,
    string? ProfilesDirectory,
    ModbusTransport Transport,
    IPEndPoint Endpoint,
    SerialChannelOptions? SerialLine,
    IReadOnlyList<ModbusFaultRule> Faults,
    int? Seed,
    TimeSpan UpdateInterval,
    IReadOnlyList<PinnedPoint> Pins,
    (TimeSpan From, TimeSpan? Until)? LampFailure = null);
