using System.Globalization;
using CivicEdge.Firmware.Environment;
using CivicEdge.Firmware.Host;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// An environment station running its firmware's host build, reading a weather shutter (unit 1), a temperature and
/// humidity transmitter (unit 2), a PM transmitter (unit 3) and a noise transmitter (unit 4) on a simulated RS-485 bus.
/// A script can silence a transmitter and bring it back. The station has been running for one window when the
/// simulation starts, so a master reads a completed window from the first request.
/// </summary>
public sealed class EnvironmentStationDevice : IFirmwareDevice
{
    public const string ModelKey = "civicedge-environment-station";

    private static readonly (int Unit, SensorModel Model, string Profile)[] Transmitters =
    [
        (1, SensorModel.WeatherShutter, "rs485-weather-shutter"),
        (2, SensorModel.TemperatureHumidity, "rs485-temperature-humidity"),
        (3, SensorModel.Particulates, "rs485-pm"),
        (4, SensorModel.Noise, "rs485-noise"),
    ];

    private readonly Lock _firmware = new();
    private readonly DeviceTimeProvider _time;
    private readonly FirmwareRegisterMirror _mirror;
    private readonly TimeSpan _sampleInterval;
    private DateTimeOffset _last;

    public EnvironmentStationDevice(DateTimeOffset start, ProfileCatalog profiles, Random random, int windowSeconds = 600, int sampleIntervalMilliseconds = 10_000)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var installed = start - TimeSpan.FromSeconds(windowSeconds);
        _time = new DeviceTimeProvider(installed);
        _last = installed;
        _sampleInterval = TimeSpan.FromMilliseconds(sampleIntervalMilliseconds);
        foreach (var (unit, _, profileName) in Transmitters)
        {
            var profile = profiles.Get(profileName);
            Bus.Attach(unit, new SimulatedModbusDevice(profile, DeviceModels.Create(profile, _time, random)));
        }

        var configuration = new EnvironmentStationConfiguration { WindowSeconds = windowSeconds, SampleIntervalMilliseconds = sampleIntervalMilliseconds };
        Station = new EnvironmentStation(configuration, new SimulatedClock(_time), Bus);
        foreach (var (unit, model, _) in Transmitters)
            Station.AddSensor(model, unit);
        Station.Start();
        _mirror = new FirmwareRegisterMirror(Station.Registers, EnvironmentRegisterMap.Length, _firmware);
        Update(start);
    }

    public string Model => ModelKey;

    public IReadOnlyList<string> Actions { get; } = ["silent", "answer"];

    public EnvironmentStation Station { get; }

    public SimulatedSensorBus Bus { get; } = new();

    public RegisterBank Bank => _mirror.Bank;

    public void Update(DateTimeOffset now)
    {
        lock (_firmware)
        {
            // Step through every sample instant, so a long gap between updates still gives one sample per interval.
            var next = _last + _sampleInterval;
            while (next < now)
            {
                Step(next);
                next += _sampleInterval;
            }

            Step(now);
            _last = now;
            _mirror.Refresh();
        }
    }

    public string? Apply(string action, string? argument)
    {
        lock (_firmware)
        {
            if (action is not ("silent" or "answer"))
                return $"expected one of {string.Join(", ", Actions)}; found '{action}'";
            if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var unit) || !Bus.Silence(unit, action == "silent"))
                return $"{action}: expected a transmitter's unit, one of {string.Join(", ", Bus.Units)}; found '{argument}'";
            return null;
        }
    }

    private void Step(DateTimeOffset at)
    {
        _time.MoveTo(at);
        Bus.Update();
        Station.Poll();
    }
}
