using System.Device.Adc;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>An ESP32 ADC1 channel (ADC2 cannot be used while Wi-Fi runs).</summary>
public sealed class AdcInput : IAnalogInput
{
    private readonly AdcChannel _channel;

    /// <param name="controller">The ADC controller.</param>
    /// <param name="channel">nanoFramework's ADC1 channel number.</param>
    /// <param name="referenceVoltage">The voltage at full scale with the attenuation the firmware image configures (11 dB: about 3.3 V).</param>
    public AdcInput(AdcController controller, int channel, double referenceVoltage)
    {
        _channel = controller.OpenChannel(channel);
        MaxValue = controller.MaxValue;
        ReferenceVoltage = referenceVoltage;
    }

    public int MaxValue { get; }

    public double ReferenceVoltage { get; }

    public int ReadRaw() => _channel.ReadValue();
}
