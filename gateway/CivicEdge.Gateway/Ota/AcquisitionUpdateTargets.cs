using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Finds an offer's target among the devices the gateway polls now (after any reconfiguration): a device on a Modbus
/// RTU bus, local or behind a serial-to-Ethernet converter, whose profile carries the update block. The update takes
/// the device's turns in its bus's scheduler, so polling of the other devices on the line goes on.
/// </summary>
public sealed class AcquisitionUpdateTargets(AcquisitionService acquisition, IReadOnlyCollection<string> updatableProfiles) : IFieldUpdateTargets
{
    public FieldUpdateTargetLookup Find(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        foreach (var bus in acquisition.Buses)
        {
            var device = bus.Devices.FirstOrDefault(d => string.Equals(d.DeviceId, deviceId, StringComparison.Ordinal));
            if (device is null)
                continue;
            if (bus.Link.Kind is not (BusKind.Rtu or BusKind.RtuOverTcp) || device.Master is not { } master)
                return FieldUpdateTargetLookup.Refused($"expected device '{deviceId}' on a Modbus RTU bus, found it on {bus.Link}");
            if (!updatableProfiles.Contains(device.Profile.Model, StringComparer.Ordinal))
                return FieldUpdateTargetLookup.Refused($"expected device '{deviceId}' of a profile with update support ({string.Join(", ", updatableProfiles)}), found profile '{device.Profile.Model}'");
            return FieldUpdateTargetLookup.Found(new FieldUpdateTarget(deviceId, bus.Link.Id, device.UnitId, master, new SchedulerBusLane(bus, device)));
        }

        return FieldUpdateTargetLookup.Refused($"expected '{deviceId}' to be a device configured on this gateway, found none by that id");
    }
}
