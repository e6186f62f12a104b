using System.Device.Gpio;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>A contact input on an ESP32 GPIO with its internal pull-up (the contact pulls the pin to ground).</summary>
public sealed class GpioContact : IDigitalInput
{
    private readonly GpioPin _pin;

    public GpioContact(GpioController controller, int pinNumber)
    {
        _pin = controller.OpenPin(pinNumber, PinMode.InputPullUp);
    }

    public bool Read() => _pin.Read() == PinValue.High;
}
