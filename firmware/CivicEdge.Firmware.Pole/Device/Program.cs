using System.Device.Adc;
using System.Device.Gpio;
using System.IO.Ports;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Device;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Pole.Settings;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// The pole controller's entry point on the ESP32 (board: hardware/boards/civicedge-pole-esp32.yaml): give the pins
/// their functions, build the adapters, run the boot guard, then the controller on the core's main loop.
/// </summary>
public static class Program
{
    /// <summary>Period of a main-loop pass; one measurement takes five mains cycles (100 ms at 50 Hz).</summary>
    private const int PassMilliseconds = 250;

    private const int WatchdogMilliseconds = 8000;
    private const double AdcFullScaleVolts = 3.3;
    private const long ManagedHeapBytes = 80 * 1024;

    public static void Main()
    {
        Configuration.SetPinFunction(PoleBoard.DimmingPwmPin, DeviceFunction.PWM1);
        Configuration.SetPinFunction(PoleBoard.Rs485TxPin, DeviceFunction.COM3_TX);
        Configuration.SetPinFunction(PoleBoard.Rs485RxPin, DeviceFunction.COM3_RX);
        Configuration.SetPinFunction(PoleBoard.Rs485DirectionPin, DeviceFunction.COM3_RTS);
        Configuration.SetPinFunction(PoleBoard.I2cSdaPin, DeviceFunction.I2C1_DATA);
        Configuration.SetPinFunction(PoleBoard.I2cSclPin, DeviceFunction.I2C1_CLOCK);

        var gpio = new GpioController();
        var adc = new AdcController();
        var storage = new FlashSettingsStorage("I:\\civicedge");
        var clock = new DeviceClock();
        var power = new DevicePowerControl(storage);
        var relay = new GpioOutputPin(gpio, PoleBoard.RelayPin);
        var dimming = new PwmDimmingOutput(PoleBoard.DimmingPwmPin, PoleBoard.DimmingPwmFrequency);
        var loop = new MainLoop(clock, new SoftwareWatchdog(storage), new DeviceDelay(), 4, WatchdogMilliseconds);

        var guard = new BootGuard(storage, power, clock, BootGuard.DefaultSafeModeAfter, 10 * 60 * 1000);
        if (guard.Begin(new LampFailSafe(relay, dimming)))
        {
            // Three boots in a row never became healthy: keep the street lit and the controller's logic off.
            loop.Add("boot", guard, 1000, 0);
            loop.Run();
            return;
        }

        var hardware = new PoleHardware(relay, dimming,
            new AdcInput(adc, PoleBoard.MainsVoltageAdcChannel, AdcFullScaleVolts),
            new AdcInput(adc, PoleBoard.LampCurrentAdcChannel, AdcFullScaleVolts));
        hardware.RelayFeedback = new GpioInputPin(gpio, PoleBoard.RelayFeedbackPin, PinMode.Input);
        hardware.DoorContact = new GpioInputPin(gpio, PoleBoard.DoorContactPin, PinMode.InputPullUp);
        hardware.TiltSwitch = new GpioInputPin(gpio, PoleBoard.TiltSwitchPin, PinMode.InputPullDown);
        hardware.Photocell = new GpioInputPin(gpio, PoleBoard.PhotocellPin, PinMode.Input);
        hardware.DriverThermistor = new AdcInput(adc, PoleBoard.DriverThermistorAdcChannel, AdcFullScaleVolts);
        hardware.Accelerometer = new I2cSensor(PoleBoard.I2cBus, PoleBoard.AccelerometerAddress);
        hardware.FieldBus = new SerialPortLink(PoleBoard.Rs485Port, 9600, Parity.Even, true);
        hardware.Delay = new DeviceDelay();
        hardware.ResetCause = guard.LastResetCause;
        hardware.Memory = new NativeMemoryGauge(ManagedHeapBytes);

        var credentials = Provision(storage, hardware);
        var controller = new PoleController(hardware, clock, storage, credentials);
        loop.Add("pole", controller, PassMilliseconds, 0);
        loop.Add("boot", guard, 1000, 1000);
        loop.Run();
    }

    /// <summary>
    /// The MQTT identity written at commissioning (slot "provisioning": device.id, mqtt.host, mqtt.port, mqtt.user,
    /// mqtt.password, mqtt.ca (the PEM of the authority that signs the broker's certificate), wifi.ssid,
    /// wifi.password); null when the pole was commissioned for the field bus only.
    /// </summary>
    private static UplinkOptions Provision(FlashSettingsStorage storage, PoleHardware hardware)
    {
        var provisioning = new SettingsStore(storage, "provisioning");
        if (!provisioning.Load() || !provisioning.Contains("device.id") || !provisioning.Contains("wifi.ssid") || !provisioning.Contains("mqtt.ca"))
        {
            return null;
        }

        var id = provisioning.GetString("device.id");
        var connected = WifiNetworkHelper.ConnectDhcp(provisioning.GetString("wifi.ssid"), provisioning.GetString("wifi.password"),
            requiresDateTime: true, token: new CancellationTokenSource(60000).Token);
        if (!connected)
        {
            // The uplink keeps retrying the broker; Wi-Fi reconnects on its own once the access point is back.
            WifiNetworkHelper.Reconnect(false);
        }

        var authority = new X509Certificate(provisioning.GetString("mqtt.ca"));
        hardware.Network = new M2MqttNetworkLink(provisioning.GetString("mqtt.host"), provisioning.GetInt32("mqtt.port", 8883), true, authority, 60);
        var options = new UplinkOptions(id, provisioning.GetString("mqtt.user"), provisioning.GetString("mqtt.password"), PoleController.FirmwareVersion);
        options.Model = "civicedge-slc1";
        return options;
    }
}
