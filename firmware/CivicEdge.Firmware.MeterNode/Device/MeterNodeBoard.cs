using nanoFramework.Hardware.Esp32;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>The meter node board's pins, as hardware/boards/civicedge-meter-node-esp32.yaml lists them.</summary>
public static class MeterNodeBoard
{
    /// <summary>Pulse contact A (RTC GPIO, so it can wake the chip from deep sleep).</summary>
    public const int ContactA = 33;

    public const Sleep.WakeupGpioPin ContactAWakeup = Sleep.WakeupGpioPin.Pin33;

    /// <summary>Pulse contact B, a quarter turn behind A.</summary>
    public const int ContactB = 32;

    /// <summary>Tamper reed beside the head, out of the dial magnet's reach.</summary>
    public const int TamperReed = 27;

    /// <summary>Loop wire through the sensor cable, tied to ground at the sensor end.</summary>
    public const int CableLoop = 26;

    /// <summary>RS-485 to the gateway: UART2 (COM3 in nanoFramework) on GPIO 16 (RX) and 17 (TX), driver enable on GPIO 4 as RTS.</summary>
    public const string Rs485Port = "COM3";

    public const int Rs485Receive = 16;

    public const int Rs485Transmit = 17;

    public const int Rs485DriverEnable = 4;
}
