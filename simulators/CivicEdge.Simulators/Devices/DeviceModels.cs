using CivicEdge.Hardware;
using CivicEdge.Simulators.Firmware;
using CivicEdge.Simulators.Sensors;
using CivicEdge.Simulators.Lighting;
using CivicEdge.Simulators.Meters;

namespace CivicEdge.Simulators.Devices;

/// <summary>Chooses the model that simulates the device a profile describes, by what the profile's points measure.</summary>
public static class DeviceModels
{
    /// <summary>
    /// The firmware itself, on simulated hardware, for the profiles of CivicEdge's own meter node and environment
    /// station; a three-phase meter for a profile whose points are all the SDM630's; a heat meter for one that measures heat
    /// energy; a water meter for one that measures volume or flow; a lamp controller for one with a dimming level; else
    /// the environment model, which fills whatever weather and air quantities the profile has.
    /// </summary>
    public static IPinnableDeviceModel Create(DeviceProfile profile, TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (string.Equals(profile.Model, MeterNodeDevice.ModelKey, StringComparison.OrdinalIgnoreCase))
        {
            // A household's steady draw, so the totals move; a script or --set changes it.
            var node = new MeterNodeDevice(timeProvider.GetUtcNow()) { FlowLitresPerHour = 120 };
            return new FirmwareDeviceModel(node, profile, timeProvider);
        }

        if (string.Equals(profile.Model, EnvironmentStationDevice.ModelKey, StringComparison.OrdinalIgnoreCase))
        {
            // The station's transmitters are described by the profiles beside its own.
            var transmitters = ProfileLoader.Load(Path.GetDirectoryName(profile.SourceFile) ?? ".");
            var station = new EnvironmentStationDevice(timeProvider.GetUtcNow(), transmitters, random);
            return new FirmwareDeviceModel(station, profile, timeProvider);
        }

        var numeric = profile.Points.Where(p => !p.IsText).ToList();
        var quantities = numeric.Select(p => p.Quantity).ToHashSet(StringComparer.Ordinal);
        if (numeric.Count > 0 && numeric.All(p => ThreePhaseMeterModel.PointNames.Contains(p.Name)))
            return new ThreePhaseMeterModel(timeProvider, random);
        if (quantities.Contains("heat_energy"))
            return new HeatMeterModel(timeProvider, random);
        if (quantities.Contains("volume") || quantities.Contains("volume_flow"))
            return new WaterMeterModel(timeProvider, random);
        if (quantities.Contains("dimming_level"))
            return new LampControllerModel(timeProvider, random);
        return new EnvironmentModel(profile, timeProvider, random);
    }
}
