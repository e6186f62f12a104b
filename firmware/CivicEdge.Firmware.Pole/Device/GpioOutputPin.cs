using System.Device.Gpio;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>An ESP32 GPIO driven as an output (the lamp relay's driver).</summary>
public sealed class GpioOutputPin : IDigitalOutput
{
    private readonly GpioPin _pin;
    private bool _state;

    public GpioOutputPin(GpioController controller, int pinNumber)
    {
        _pin = controller.OpenPin(pinNumber, PinMode.Output);
        _pin.Write(PinValue.Low);
    }

    public bool State => _state;

    public void Write(bool high)
    {
        _pin.Write(high ? PinValue.High : PinValue.Low);
        _state = high;
    }
}
