using System.IO.Ports;
using CivicEdge.Firmware.Core.Device;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;
using nanoFramework.Hardware.Esp32;

namespace CivicEdge.Firmware.Environment.Device;

/// <summary>
/// The environment station on its ESP32 board (hardware/boards/civicedge-environment-station-esp32.yaml): master of
/// its own RS-485 bus of transmitters, slave on the gateway's, both through the core's Modbus RTU stack and main loop.
/// The transmitters on the bus are commissioned as settings (sensor.N.model and sensor.N.unit, N from 0).
/// </summary>
public static class Program
{
    private const int PassMilliseconds = 100;
    private const int WatchdogMilliseconds = 8000;

    // Transmitters answer within about 50 ms at 4800 or 9600 baud; one retry covers a frame lost to interference.
    private const int SensorTimeoutMilliseconds = 200;
    private const int SensorRetries = 1;

    public static void Main()
    {
        Configuration.SetPinFunction(EnvironmentBoard.SensorReceive, DeviceFunction.COM2_RX);
        Configuration.SetPinFunction(EnvironmentBoard.SensorTransmit, DeviceFunction.COM2_TX);
        Configuration.SetPinFunction(EnvironmentBoard.SensorDriverEnable, DeviceFunction.COM2_RTS);
        Configuration.SetPinFunction(EnvironmentBoard.GatewayReceive, DeviceFunction.COM3_RX);
        Configuration.SetPinFunction(EnvironmentBoard.GatewayTransmit, DeviceFunction.COM3_TX);
        Configuration.SetPinFunction(EnvironmentBoard.GatewayDriverEnable, DeviceFunction.COM3_RTS);

        FlashSettingsStorage storage = new FlashSettingsStorage("I:\\civicedge");
        DeviceClock clock = new DeviceClock();
        DeviceDelay delay = new DeviceDelay();
        SettingsStore settings = new SettingsStore(storage, "environment");
        settings.Load();

        SerialPortLink sensorLine = new SerialPortLink(EnvironmentBoard.SensorPort, settings.GetInt32("sensors.baud", 9600), Parity.None, true);
        ModbusRtuMaster master = new ModbusRtuMaster(sensorLine, clock, delay, SensorTimeoutMilliseconds, SensorRetries);
        EnvironmentStationConfiguration configuration = new EnvironmentStationConfiguration();
        configuration.WindowSeconds = settings.GetInt32("window.seconds", configuration.WindowSeconds);
        configuration.SampleIntervalMilliseconds = settings.GetInt32("sample.ms", configuration.SampleIntervalMilliseconds);
        EnvironmentStation station = new EnvironmentStation(configuration, clock, new ModbusRegisterReader(master));
        for (int i = 0; i < EnvironmentStation.MaxSensors; i++)
        {
            string key = "sensor." + i.ToString();
            if (!settings.Contains(key + ".model"))
            {
                break;
            }

            station.AddSensor((SensorModel)settings.GetInt32(key + ".model"), settings.GetInt32(key + ".unit"));
        }

        station.Start();

        SerialPortLink gatewayLine = new SerialPortLink(EnvironmentBoard.GatewayPort, settings.GetInt32("modbus.baud", 9600), Parity.Even, true);
        ModbusRtuSlave slave = new ModbusRtuSlave(gatewayLine, station.Registers, (byte)settings.GetInt32("modbus.unit", 1));

        MainLoop loop = new MainLoop(clock, new SoftwareWatchdog(storage), delay, 2, WatchdogMilliseconds);
        loop.Add("sensors", station, PassMilliseconds, 0);
        loop.Add("modbus", new BusSlaveJob(slave), 1, 0);
        loop.Run();
    }
}
