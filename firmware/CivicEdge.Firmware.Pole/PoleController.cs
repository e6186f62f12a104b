using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Pole.Diagnostics;
using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Metering;
using CivicEdge.Firmware.Pole.Modbus;
using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Uplink;

namespace CivicEdge.Firmware.Pole;

/// <summary>
/// The pole controller application: everything it needs comes through the constructor (pins and converters, serial
/// line, network link, clock, settings storage, device credentials), and <see cref="Step"/> is one pass of the main
/// loop — decide the lamp's level, drive relay and dimming, measure the supply, integrate energy and burning hours,
/// judge lamp, relay, driver, door and tilt, then answer the gateway (Modbus slave) or talk to the fleet (MQTT). The
/// device's Program.cs calls it from its loop, a host (tests, civicsim's virtual poles) calls it on its own clock.
/// A pass allocates nothing once the controller is built, except what the MQTT uplink allocates per published message.
/// </summary>
public sealed class PoleController : IScheduledJob
{
    /// <summary>The firmware version served in holding registers 0x0108–0x010B.</summary>
    public const string FirmwareVersion = "1.0.0";

    private const int ThermalHoldMilliseconds = 10000;

    /// <summary>Most Modbus requests answered in one pass, so a chattering bus cannot starve the lamp's control.</summary>
    private const int RequestsPerPass = 4;

    private readonly PoleHardware _hardware;
    private readonly IClock _clock;
    private readonly PoleSettingsStore _settingsStore;
    private readonly PoleSettings _settings;
    private readonly PoleTime _time;
    private readonly LightingSchedule _schedule;
    private readonly LightingArbiter _arbiter = new LightingArbiter();

    // The last pass's view of time and schedule, which a command between passes is decided on.
    private bool _timeKnown;
    private int _scheduleLevel = 100;
    private int _dimmingLevel = 100;
    private readonly LampOutput _output;
    private readonly MainsSampler _sampler;
    private readonly CounterKeeper _counters;
    private readonly LampMonitor _lampMonitor;
    private readonly TiltMonitor _tilt;
    private readonly NtcThermistor _thermistor;
    private readonly HeldCondition _door;
    private readonly HeldCondition _dark;
    private readonly HeldCondition _overtemperature = new HeldCondition(ThermalHoldMilliseconds, ThermalHoldMilliseconds, false);
    private readonly PoleEventLog _events = new PoleEventLog();
    private readonly ModbusRtuSlave _slave;
    private readonly PoleReporter _reporter;

    /// <summary>A controller without MQTT credentials: it answers a gateway on <see cref="PoleHardware.FieldBus"/>, if any.</summary>
    public PoleController(PoleHardware hardware, IClock clock, ISettingsStorage storage)
        : this(hardware, clock, storage, null)
    {
    }

    /// <param name="hardware">Pins, converters, serial line and network link.</param>
    /// <param name="clock">The device clock.</param>
    /// <param name="storage">Settings, counters and the uplink's outbox.</param>
    /// <param name="uplinkOptions">The device's identity and MQTT credentials from provisioning; null if it has none.</param>
    public PoleController(PoleHardware hardware, IClock clock, ISettingsStorage storage, UplinkOptions uplinkOptions)
    {
        _hardware = hardware;
        _clock = clock;
        _settingsStore = new PoleSettingsStore(storage);
        _settings = _settingsStore.Load();
        SettingsProblem = _settingsStore.Problem;
        var now = clock.UptimeMilliseconds;
        _counters = new CounterKeeper(new CounterJournal(storage), _settings);
        _counters.Restore(now);
        _time = new PoleTime(clock);
        _time.Remember(_counters.RestoredUtcTicks);
        _schedule = new LightingSchedule(_settings);
        _output = new LampOutput(hardware.Relay, hardware.Dimming, _settings, now);
        _sampler = new MainsSampler(hardware.MainsVoltage, hardware.LampCurrent, _settings);
        _lampMonitor = new LampMonitor(_settings, hardware.RelayFeedback);
        _tilt = new TiltMonitor(_settings, hardware.TiltSwitch, hardware.Accelerometer == null ? null : new Lis3dhAccelerometer(hardware.Accelerometer));
        _thermistor = hardware.DriverThermistor == null ? null : new NtcThermistor(hardware.DriverThermistor, 10000, 10000, 3950);
        _door = new HeldCondition(_settings.DoorDebounceMilliseconds, _settings.DoorDebounceMilliseconds, false);
        var photocellDelay = _settings.PhotocellDelaySeconds * 1000;
        _dark = new HeldCondition(photocellDelay, photocellDelay, hardware.Photocell != null && hardware.Photocell.Read());

        var mqtt = _settings.UplinkMode == UplinkMode.Mqtt;
        if (mqtt && (hardware.Network == null || uplinkOptions == null))
        {
            UplinkProblem = "Setting UplinkMode: expected a network link and device credentials for MQTT, found " +
                (hardware.Network == null ? "no network link" : "no credentials") + "; answering as a Modbus slave instead";
            mqtt = false;
        }

        if (mqtt)
        {
            EnergyMeterReader meter = null;
            if (_settings.MeterUnit > 0 && hardware.FieldBus != null && hardware.Delay != null)
            {
                // Meters answer within about 100 ms at 9600 baud; one retry covers a frame lost to interference.
                meter = new EnergyMeterReader(new ModbusRtuMaster(hardware.FieldBus, clock, hardware.Delay, 250, 1), (byte)_settings.MeterUnit);
            }

            _reporter = new PoleReporter(this, new DeviceUplink(uplinkOptions, hardware.Network, clock, storage, hardware.ResetCause, hardware.Memory), meter);
            if (SettingsProblem != null)
            {
                _reporter.Uplink.SafeModeReason = SettingsProblem;
            }
        }
        else if (hardware.FieldBus != null)
        {
            _slave = new ModbusRtuSlave(hardware.FieldBus, new Slc1DataModel(this), (byte)_settings.ModbusUnit);
        }
    }

    /// <summary>The settings in force. Change them through <see cref="ApplySettings"/>, which validates and stores them.</summary>
    public PoleSettings Settings => _settings;

    /// <summary>Why the stored settings were not used at boot (the controller runs on defaults), or null.</summary>
    public string SettingsProblem { get; private set; }

    /// <summary>Why the configured uplink could not be used, or null.</summary>
    public string UplinkProblem { get; private set; }

    /// <summary>The Modbus RTU slave in slave mode (its serial-line counters), else null.</summary>
    public ModbusRtuSlave Slave => _slave;

    /// <summary>The MQTT side in MQTT mode, else null.</summary>
    public PoleReporter Reporter => _reporter;

    public LampOutput Output => _output;

    public MainsSampler Mains => _sampler;

    public CounterKeeper Counters => _counters;

    public PoleEventLog Events => _events;

    public LightingSchedule Schedule => _schedule;

    public TiltMonitor Tilt => _tilt;

    /// <summary>Who decided the lamp's level on the last pass.</summary>
    public ControlMode Mode => _arbiter.Mode;

    /// <summary>The level (percent, 0 = off) in force after the last pass.</summary>
    public int SetPoint => _arbiter.Level;

    public TimeSource TimeSource => _time.Source;

    /// <summary>The lamp draws current (it is lit), as of the last pass.</summary>
    public bool LampLit { get; private set; }

    public bool LampFailed => _lampMonitor.LampFailed;

    public bool RelayFaulty => _lampMonitor.RelayFaulty;

    public bool DriverOvertemperature => _overtemperature.IsSet;

    public bool DoorOpen => _door.IsSet;

    public bool Tilted => _tilt.Tilted;

    /// <summary>Whether the board has a driver temperature sensor that answered on the last pass.</summary>
    public bool HasDriverTemperature { get; private set; }

    /// <summary>Driver temperature, °C, when <see cref="HasDriverTemperature"/>.</summary>
    public double DriverTemperature { get; private set; }

    /// <summary>A gateway or fleet command: <paramref name="levelPercent"/> (0 = off) for the configured override time, then the schedule resumes.</summary>
    public void Command(int levelPercent)
    {
        var now = _clock.UptimeMilliseconds;
        _arbiter.Command(levelPercent, now, _settings.CommandOverrideMinutes * 60000L);

        // Decided at once on the last pass's inputs, so the set-point a master reads right after its write (the
        // gateway's read-back) is the new decision; the output ramps to it from the next pass.
        Decide(now);
    }

    /// <summary>Ends a command early.</summary>
    public void ReleaseCommand() => _arbiter.ReleaseCommand();

    /// <summary>
    /// Validates <paramref name="candidate"/>, stores it and puts it in force; returns null, or what is wrong with it
    /// (then nothing changes).
    /// </summary>
    public string ApplySettings(PoleSettings candidate)
    {
        var problem = _settingsStore.Save(candidate);
        if (problem != null)
        {
            return problem;
        }

        _settings.CopyFrom(candidate);
        _schedule.Invalidate();
        SettingsProblem = null;
        return null;
    }

    /// <summary>The core's main loop runs the controller as one of its jobs.</summary>
    public void Run(long uptimeMilliseconds) => Step();

    private void Decide(long now)
    {
        _arbiter.Decide(now, _settings.ManualMode, _settings.ManualLevelPercent, _timeKnown, _scheduleLevel, _dimmingLevel,
            _hardware.Photocell != null, _dark.IsSet, _settings.UsePhotocell);
    }

    /// <summary>One pass of the main loop.</summary>
    public void Step()
    {
        var now = _clock.UptimeMilliseconds;
        DateTime utc;
        var timeKnown = _time.TryGetUtcNow(out utc);
        var utcTicks = timeKnown ? utc.Ticks : 0;

        var hasPhotocell = _hardware.Photocell != null;
        if (hasPhotocell)
        {
            _dark.Update(_hardware.Photocell.Read(), now);
        }

        _timeKnown = timeKnown;
        _scheduleLevel = timeKnown ? _schedule.LevelAt(utc) : 100;
        _dimmingLevel = timeKnown ? _schedule.DimmingLevel(utc) : 100;
        Decide(now);

        JudgeTemperature(now, utcTicks);
        var ceiling = _overtemperature.IsSet ? _settings.ThrottleLevelPercent : 100;
        _output.Request(_arbiter.Level);
        _output.Update(now, ceiling);

        _sampler.Measure();
        LampLit = _sampler.CurrentRms >= _settings.LampCurrentThreshold;
        _counters.Update(now, _sampler.ActivePower, LampLit, _sampler.VoltageRms, utcTicks);

        bool lampFailureChanged;
        bool relayFaultChanged;
        _lampMonitor.Update(now, _output, _sampler.CurrentRms, out lampFailureChanged, out relayFaultChanged);
        if (lampFailureChanged)
        {
            _events.Record(PoleEvent.LampFailure, _lampMonitor.LampFailed, utcTicks);
        }

        if (relayFaultChanged)
        {
            _events.Record(PoleEvent.RelayFault, _lampMonitor.RelayFaulty, utcTicks);
        }

        if (_hardware.DoorContact != null && _door.Update(_hardware.DoorContact.Read(), now))
        {
            _events.Record(PoleEvent.DoorOpen, _door.IsSet, utcTicks);
        }

        if (_tilt.Update(now))
        {
            _events.Record(PoleEvent.Tilt, _tilt.Tilted, utcTicks);
        }

        if (_slave != null)
        {
            for (var i = 0; i < RequestsPerPass && _slave.Poll(0); i++)
            {
            }
        }
        else if (_reporter != null)
        {
            _reporter.Step(now);
        }
    }

    private void JudgeTemperature(long now, long utcTicks)
    {
        double celsius = 0;
        HasDriverTemperature = _thermistor != null && _thermistor.TryReadCelsius(out celsius);
        if (!HasDriverTemperature)
        {
            return;
        }

        DriverTemperature = celsius;

        var limit = _overtemperature.IsSet ? _settings.OvertemperatureCelsius - _settings.OvertemperatureHysteresis : _settings.OvertemperatureCelsius;
        if (_overtemperature.Update(DriverTemperature > limit, now))
        {
            _events.Record(PoleEvent.DriverOvertemperature, _overtemperature.IsSet, utcTicks);
        }
    }
}
