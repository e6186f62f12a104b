using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Simulators.Provisioning;

/// <summary>A field device to register behind a gateway: its code, what it is and its hardware profile model.</summary>
public sealed record EnrolledDevice(string Code, DeviceKind Kind, string? Model);
