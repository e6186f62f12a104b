using System.Device.Gpio;
using System.IO.Ports;
using CivicEdge.Firmware.Core.Device;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;
using nanoFramework.Hardware.Esp32;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>
/// The meter node on its ESP32 board (hardware/boards/civicedge-meter-node-esp32.yaml), powered from the RS-485 bus:
/// it counts without sleeping and answers the gateway with <see cref="MeterRegisterMap"/> through the core's RTU slave,
/// both as jobs of the core's main loop. A battery node runs <see cref="LowDutyCycle"/> with its radio's
/// <see cref="IMeterUplink"/> instead of the bus.
/// </summary>
public static class Program
{
    // At a 1 L/pulse meter's overload flow (Q4 = 5 m³/h for DN20) a quarter turn lasts 180 ms; a pass every
    // millisecond samples each level many times over the 5 ms debounce.
    private const int PulsePassMilliseconds = 1;
    private const int WatchdogMilliseconds = 8000;

    public static void Main()
    {
        Configuration.SetPinFunction(MeterNodeBoard.Rs485Receive, DeviceFunction.COM3_RX);
        Configuration.SetPinFunction(MeterNodeBoard.Rs485Transmit, DeviceFunction.COM3_TX);
        Configuration.SetPinFunction(MeterNodeBoard.Rs485DriverEnable, DeviceFunction.COM3_RTS);

        FlashSettingsStorage storage = new FlashSettingsStorage("I:\\civicedge");
        DeviceClock clock = new DeviceClock();
        SettingsStore settings = new SettingsStore(storage, "meter-node");
        settings.Load();
        MeterNodeConfiguration configuration = new MeterNodeConfiguration();
        configuration.PulseWeightMillilitres = settings.GetInt32("pulse.weight.ml", configuration.PulseWeightMillilitres);
        configuration.MeterNumber = settings.GetString("meter.number", configuration.MeterNumber);

        GpioController gpio = new GpioController();
        IDigitalInput contactA = new GpioContact(gpio, MeterNodeBoard.ContactA);
        MeterNode node = new MeterNode(configuration, clock, storage, contactA, new GpioContact(gpio, MeterNodeBoard.ContactB),
            new GpioContact(gpio, MeterNodeBoard.TamperReed), new GpioContact(gpio, MeterNodeBoard.CableLoop));
        node.Start();

        SerialPortLink line = new SerialPortLink(MeterNodeBoard.Rs485Port, settings.GetInt32("modbus.baud", 9600), Parity.Even, true);
        ModbusRtuSlave slave = new ModbusRtuSlave(line, node.Registers, (byte)settings.GetInt32("modbus.unit", 1));

        MainLoop loop = new MainLoop(clock, new SoftwareWatchdog(storage), new DeviceDelay(), 2, WatchdogMilliseconds);
        loop.Add("pulses", node, PulsePassMilliseconds, 0);
        loop.Add("modbus", new BusSlaveJob(slave), PulsePassMilliseconds, 0);
        loop.Run();
    }
}
