using System.Device.Gpio;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>An ESP32 GPIO read as an input (door contact, tilt switch, photocell, relay feedback).</summary>
public sealed class GpioInputPin : IDigitalInput
{
    private readonly GpioPin _pin;

    /// <param name="controller">The GPIO controller.</param>
    /// <param name="pinNumber">The GPIO.</param>
    /// <param name="mode">Input, InputPullUp or InputPullDown, as the board file says.</param>
    public GpioInputPin(GpioController controller, int pinNumber, PinMode mode)
    {
        _pin = controller.OpenPin(pinNumber, mode);
    }

    public bool Read() => _pin.Read() == PinValue.High;
}
