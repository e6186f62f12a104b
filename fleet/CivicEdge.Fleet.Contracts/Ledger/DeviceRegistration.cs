namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// The body of <c>POST /api/devices</c>. Every field may be absent on the wire; the fleet names each one that is missing
/// or wrong (code, kind and tenant are required).
/// </summary>
public sealed record DeviceRegistration
{
    public string? Code { get; init; }

    public DeviceKind? Kind { get; init; }

    public string? Model { get; init; }

    public string? Tenant { get; init; }

    public DeviceLocation? Location { get; init; }

    public string? Gateway { get; init; }

    public string? Firmware { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public IReadOnlyList<string>? Capabilities { get; init; }

    public string? Batch { get; init; }

    /// <summary>Who registers it; recorded as the first lifecycle step.</summary>
    public string? By { get; init; }
}
