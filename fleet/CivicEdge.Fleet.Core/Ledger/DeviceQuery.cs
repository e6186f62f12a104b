using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// Which ledger entries to list: every filter given must hold (null means any). Every store answers exactly what
/// <see cref="Matches"/> says, ordered by code; it may use its indexes to get there.
/// </summary>
public sealed record DeviceQuery
{
    public static DeviceQuery All { get; } = new();

    public DeviceKind? Kind { get; init; }

    public string? Model { get; init; }

    public string? Tenant { get; init; }

    /// <summary>
    /// Devices owned by any of these tenants: the caller's tenant scope, pushed into the query so that a store reads only
    /// what the caller may see.
    /// </summary>
    public IReadOnlySet<string>? Tenants { get; init; }

    /// <summary>Compared without regard to case.</summary>
    public string? District { get; init; }

    /// <summary>Every one of these tags (tags are kept in lower case).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    public LifecycleState? State { get; init; }

    public string? Firmware { get; init; }

    /// <summary>Devices behind this gateway.</summary>
    public string? Gateway { get; init; }

    /// <summary>Devices with this capability (kept in lower case).</summary>
    public string? Capability { get; init; }

    public string? Batch { get; init; }

    /// <summary>Devices whose coordinates lie in this box; devices without coordinates never do.</summary>
    public GeoBox? Within { get; init; }

    public bool Matches(LedgerDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return (Kind is null || device.Kind == Kind)
            && (Model is null || string.Equals(device.Model, Model, StringComparison.Ordinal))
            && (Tenant is null || string.Equals(device.Tenant, Tenant, StringComparison.Ordinal))
            && (Tenants is null || Tenants.Contains(device.Tenant))
            && (District is null || string.Equals(device.Location?.District, District, StringComparison.OrdinalIgnoreCase))
            && (Tags is null || Tags.All(tag => device.Tags.Contains(tag, StringComparer.Ordinal)))
            && (State is null || device.State == State)
            && (Firmware is null || string.Equals(device.Firmware, Firmware, StringComparison.Ordinal))
            && (Gateway is null || string.Equals(device.Gateway, Gateway, StringComparison.Ordinal))
            && (Capability is null || device.Capabilities.Contains(Capability, StringComparer.Ordinal))
            && (Batch is null || string.Equals(device.Batch, Batch, StringComparison.Ordinal))
            && (Within is null || (device.Location is { Latitude: { } latitude, Longitude: { } longitude } && Within.Contains(latitude, longitude)));
    }
}
