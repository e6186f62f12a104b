using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// An ADC channel whose pin voltage comes from a function of the simulation (a lamp's current through its shunt,
/// a sine sampled at the time of the conversion), quantized and clipped like a real converter.
/// </summary>
public sealed class SimulatedAnalogInput(Func<double> pinVoltage, int bits = 12, double referenceVoltage = 3.3) : IAnalogInput
{
    public int MaxValue { get; } = (1 << bits) - 1;

    public double ReferenceVoltage => referenceVoltage;

    /// <summary>How many conversions the firmware made.</summary>
    public long Conversions { get; private set; }

    public int ReadRaw()
    {
        Conversions++;
        var raw = Math.Round(pinVoltage() / referenceVoltage * MaxValue);
        return (int)Math.Clamp(raw, 0, MaxValue);
    }
}
