using System.Text.Json;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Everything a device's poller is made from, as values: two equal specs poll alike, so a device whose spec did not
/// change across a reconfiguration keeps its poller, its counters and its state.
/// </summary>
/// <param name="Id">The device's unified device code.</param>
/// <param name="Model">Its profile's model.</param>
/// <param name="Profile">Its profile's content in a canonical form (see <see cref="Of"/>).</param>
/// <param name="Unit">Its unit identifier.</param>
/// <param name="Interval">Its poll interval.</param>
/// <param name="Priority">Its priority on the bus.</param>
public sealed record DeviceSpec(string Id, string Model, string Profile, byte Unit, TimeSpan Interval, DevicePriority Priority)
{
    /// <summary>A meter's address on its line, as configured; null for a Modbus device.</summary>
    public string? Address { get; init; }

    /// <summary>The spec of a validated <paramref name="device"/> polled by <paramref name="profile"/>.</summary>
    public static DeviceSpec Of(DeviceOptions device, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        BusPlan.TryParsePriority(device.Priority, out var priority);
        return new DeviceSpec(device.Id, profile.Model, Canonical(profile), checked((byte)device.Unit), device.PollInterval ?? profile.PollInterval, priority)
        {
            Address = device.Address,
        };
    }

    /// <summary>
    /// The profile as JSON, without the file it came from: profiles are reloaded on every reconfiguration, so the same
    /// content arrives as a new object (and may move to another file); JSON compares every field of the profile and
    /// its points, including fields added to the schema later, where record equality would compare lists by reference.
    /// </summary>
    private static string Canonical(DeviceProfile profile) =>
        JsonSerializer.Serialize(profile with { SourceFile = string.Empty }, CanonicalProfileJson.Default.DeviceProfile);
}
