using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// The fields a <c>PATCH /api/devices/{id}</c> sets; null fields stay as they are. The code and the kind never change
/// (a device of another kind is another device), nor does the lifecycle state, which moves only by its own rules.
/// </summary>
public sealed record DeviceChanges
{
    public FieldChange<string?>? Model { get; init; }

    public FieldChange<string?>? Tenant { get; init; }

    public LocationChanges? Location { get; init; }

    public FieldChange<string?>? Gateway { get; init; }

    public FieldChange<string?>? Firmware { get; init; }

    public FieldChange<IReadOnlyList<string>?>? Tags { get; init; }

    public FieldChange<IReadOnlyList<string>?>? Capabilities { get; init; }

    public FieldChange<string?>? Batch { get; init; }

    public FieldChange<string?>? Installer { get; init; }

    public FieldChange<DateTimeOffset?>? InstalledAt { get; init; }

    public bool IsEmpty =>
        Model is null && Tenant is null && Location is null && Gateway is null && Firmware is null && Tags is null
        && Capabilities is null && Batch is null && Installer is null && InstalledAt is null;

    /// <summary>Applies the location changes to <paramref name="location"/>; null when nothing of it is left.</summary>
    public DeviceLocation? ApplyLocation(DeviceLocation? location)
    {
        if (Location is not { } changes)
            return location;

        var merged = new DeviceLocation(
            changes.Latitude is { } latitude ? latitude.Value : location?.Latitude,
            changes.Longitude is { } longitude ? longitude.Value : location?.Longitude,
            changes.Address is { } address ? address.Value : location?.Address,
            changes.PoleNumber is { } pole ? pole.Value : location?.PoleNumber,
            changes.District is { } district ? district.Value : location?.District);
        return merged is { Latitude: null, Longitude: null, Address: null, PoleNumber: null, District: null } ? null : merged;
    }
}
