using System.Device.Gpio;
using System.Threading;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>
/// The meter node on its ESP32 board, powered from the RS-485 bus: it counts without sleeping and keeps
/// <see cref="MeterNode.Registers"/> current for the Modbus RTU slave on the bus (pins in <see cref="MeterNodeBoard"/>).
/// A battery node runs <see cref="LowDutyCycle"/> with its radio's <see cref="IMeterUplink"/> instead of the bus.
/// </summary>
public static class Program
{
    // At a 1 L/pulse meter's overload flow (Q4 = 5 m³/h for DN20) a quarter turn lasts 180 ms; a 1 ms pass samples each
    // contact level many times over the 5 ms debounce.
    private const int PassMilliseconds = 1;

    public static void Main()
    {
        GpioController gpio = new GpioController();
        IDigitalInput contactA = new GpioContact(gpio, MeterNodeBoard.ContactA);
        IDigitalInput contactB = new GpioContact(gpio, MeterNodeBoard.ContactB);
        IDigitalInput tamperReed = new GpioContact(gpio, MeterNodeBoard.TamperReed);
        IDigitalInput cableLoop = new GpioContact(gpio, MeterNodeBoard.CableLoop);
        MeterNodeConfiguration configuration = new MeterNodeConfiguration();
        MeterNode node = new MeterNode(configuration, new Esp32Clock(), new FlashSettingsStorage(), contactA, contactB, tamperReed, cableLoop);
        node.Start();

        while (true)
        {
            node.Poll();
            Thread.Sleep(PassMilliseconds);
        }
    }
}
