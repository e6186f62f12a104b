namespace CivicEdge.Firmware.Core.Hal;

/// <summary>An ADC channel (lamp current through a shunt or current transformer, supply voltage through a divider).</summary>
public interface IAnalogInput
{
    /// <summary>Largest raw value the converter returns (e.g. 4095 for 12 bits).</summary>
    int MaxValue { get; }

    /// <summary>Voltage at the pin that reads <see cref="MaxValue"/>.</summary>
    double ReferenceVoltage { get; }

    /// <summary>One conversion, raw.</summary>
    int ReadRaw();
}
