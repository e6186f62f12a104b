using CivicEdge.Hardware;
using CivicEdge.Simulators.Sensors;
using CivicEdge.Simulators.Lighting;
using CivicEdge.Simulators.Meters;

namespace CivicEdge.Simulators.Devices;

/// <summary>Chooses the model that simulates the device a profile describes, by what the profile's points measure.</summary>
public static class DeviceModels
{
    /// <summary>
    /// A three-phase meter for a profile whose points are all the SDM630's; a heat meter for one that measures heat
    /// energy; a water meter for one that measures volume or flow; a lamp controller for one with a dimming level; else
    /// the environment model, which fills whatever weather and air quantities the profile has.
    /// </summary>
    public static IPinnableDeviceModel Create(DeviceProfile profile, TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(profile);
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
