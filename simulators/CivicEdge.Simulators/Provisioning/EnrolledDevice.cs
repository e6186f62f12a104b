using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Simulators.Provisioning;

/// <summary>
/// A field device to register behind a gateway: its code, what it is, its hardware profile model and, where known,
/// where it is mounted and what it senses.
/// </summary>
public sealed record EnrolledDevice(string Code, DeviceKind Kind, string? Model)
{
    public DeviceLocation? Location { get; init; }

    public IReadOnlyList<string>? Capabilities { get; init; }
}
