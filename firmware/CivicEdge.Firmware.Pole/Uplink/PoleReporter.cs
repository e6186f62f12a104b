using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Pole.Diagnostics;
using CivicEdge.Firmware.Pole.Metering;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Uplink;

/// <summary>
/// The controller's side of the MQTT uplink: a reading of the SLC-1 points (the names of
/// hardware/profiles/civicedge-slc1.yaml, so the fleet sees a pole the same whichever way it is connected) every
/// <see cref="PoleSettings.ReportSeconds"/>, energy and burning hours in the billing stream every 15 minutes, every
/// raised and cleared condition as an event (door and tilt too, which the SLC-1 register map has no room for), and
/// the lamp commands and the twin configuration. With an energy meter on the RS-485 bus, its readings go with each
/// report (<c>meter_*</c>, the import energy in the billing stream), and a meter silent three readings in a row raises
/// <c>energy_meter_lost</c> until it answers again.
/// </summary>
public sealed class PoleReporter
{
    /// <summary>Interval of the billing reading (energy, burning hours), ms.</summary>
    public const long BillingIntervalMilliseconds = 900000;

    private readonly PoleController _controller;
    private readonly DeviceUplink _uplink;
    private readonly EnergyMeterReader _meter;
    private bool _meterLost;
    private long _nextReading;
    private long _nextBilling;

    /// <param name="controller">The pole.</param>
    /// <param name="uplink">The MQTT side.</param>
    /// <param name="meter">The energy meter on the RS-485 bus, or null.</param>
    public PoleReporter(PoleController controller, DeviceUplink uplink, EnergyMeterReader meter)
    {
        _controller = controller;
        _uplink = uplink;
        _meter = meter;
        uplink.RegisterCommand(LampCommand.Dim, new LampCommand(controller, LampCommand.Dim));
        uplink.RegisterCommand(LampCommand.Switch, new LampCommand(controller, LampCommand.Switch));
        uplink.RegisterCommand(LampCommand.Release, new LampCommand(controller, LampCommand.Release));
        uplink.SetConfigurationHandler(new PoleConfiguration(controller));
    }

    public DeviceUplink Uplink => _uplink;

    /// <summary>The energy meter read on the RS-485 bus, or null.</summary>
    public EnergyMeterReader Meter => _meter;

    /// <summary>Hands what is due to the uplink and runs its pass.</summary>
    public void Step(long uptimeMilliseconds)
    {
        if (uptimeMilliseconds >= _nextReading)
        {
            if (_meter != null)
            {
                ReadMeter();
            }

            Report();
            _nextReading = uptimeMilliseconds + (_controller.Settings.ReportSeconds * 1000L);
        }

        if (uptimeMilliseconds >= _nextBilling)
        {
            _uplink.BeginReading(true);
            _uplink.AddPoint("lamp_energy", _controller.Counters.EnergyWattHours / 1000.0, "kWh", "active_energy", PointQuality.Good);
            _uplink.AddPoint("burning_hours", _controller.Counters.BurningMilliseconds / 3600000.0, "h", "duration", PointQuality.Good);
            _uplink.EndReading();
            _nextBilling = uptimeMilliseconds + BillingIntervalMilliseconds;
        }

        var events = _controller.Events;
        for (var i = 0; i < events.Count; i++)
        {
            Send(events.EventAt(i), events.RaisedAt(i));
        }

        events.Remove(events.Count);
        _uplink.Poll();
    }

    private void Report()
    {
        // Readings of at most four points: a record fits the uplink's default record size, sized for an 80 KB heap.
        var mains = _controller.Mains;
        _uplink.BeginReading(false);
        _uplink.AddPoint("lamp_voltage", mains.VoltageRms, "V", "voltage", PointQuality.Good);
        _uplink.AddPoint("lamp_current", mains.CurrentRms, "A", "current", PointQuality.Good);
        _uplink.AddPoint("lamp_power", mains.ActivePower, "W", "active_power", PointQuality.Good);
        _uplink.AddPoint("power_factor", mains.PowerFactor, "1", "power_factor", PointQuality.Good);
        _uplink.EndReading();
        _uplink.BeginReading(false);
        _uplink.AddPoint("lamp_relay", _controller.Output.RelayOn ? 1 : 0, "1", "switch_state", PointQuality.Good);
        _uplink.AddPoint("dimming_level", _controller.SetPoint, "%", "dimming_level", PointQuality.Good);
        _uplink.AddPoint("lamp_on", _controller.LampLit ? 1 : 0, "1", "switch_state", PointQuality.Good);
        _uplink.AddPoint("control_mode", (int)_controller.Mode, "1", null, PointQuality.Good);
        _uplink.EndReading();
        if (!_controller.HasDriverTemperature && !_controller.Tilt.HasAccelerometer)
        {
            return;
        }

        _uplink.BeginReading(false);
        if (_controller.HasDriverTemperature)
        {
            _uplink.AddPoint("driver_temperature", _controller.DriverTemperature, "Cel", "temperature", PointQuality.Good);
        }

        if (_controller.Tilt.HasAccelerometer)
        {
            _uplink.AddPoint("tilt_angle", _controller.Tilt.AngleDegrees, "deg", "angle", PointQuality.Good);
        }

        _uplink.EndReading();
    }

    private void ReadMeter()
    {
        if (_meter.TryRead())
        {
            _uplink.BeginReading(false);
            _uplink.AddPoint("meter_voltage", _meter.Voltage, "V", "voltage", PointQuality.Good);
            _uplink.AddPoint("meter_current", _meter.Current, "A", "current", PointQuality.Good);
            _uplink.AddPoint("meter_power", _meter.ActivePower, "W", "active_power", PointQuality.Good);
            _uplink.EndReading();
            _uplink.BeginReading(true);
            _uplink.AddPoint("meter_energy", _meter.ImportEnergy, "kWh", "active_energy", PointQuality.Good);
            _uplink.EndReading();
            if (_meterLost)
            {
                _meterLost = false;
                _uplink.ClearEvent("energy_meter_lost", EventSeverity.Major, "The energy meter answers again");
            }
        }
        else if (!_meterLost && _meter.ConsecutiveFailures >= 3)
        {
            _meterLost = true;
            _uplink.RaiseEvent("energy_meter_lost", EventSeverity.Major, "The energy meter on the RS-485 bus does not answer: " + _meter.LastFailure);
        }
    }

    private void Send(PoleEvent poleEvent, bool raised)
    {
        string code;
        string message;
        EventSeverity severity;
        switch (poleEvent)
        {
            case PoleEvent.LampFailure:
                code = "lamp_failure";
                severity = EventSeverity.Major;
                message = raised ? "Lamp failure - the relay is on but the lamp draws no current" : "The lamp draws current again";
                break;
            case PoleEvent.RelayFault:
                code = "relay_fault";
                severity = EventSeverity.Major;
                message = raised ? "Lamp relay does not follow its command (welded contact or coil fault)" : "The lamp relay follows its command again";
                break;
            case PoleEvent.DriverOvertemperature:
                code = "driver_overtemperature";
                severity = EventSeverity.Warning;
                message = raised ? "Lamp driver too hot - the light is throttled" : "Lamp driver temperature back to normal";
                break;
            case PoleEvent.DoorOpen:
                code = "door_open";
                severity = EventSeverity.Warning;
                message = raised ? "Pole service door opened" : "Pole service door closed";
                break;
            default:
                code = "tilt";
                severity = EventSeverity.Critical;
                message = raised ? "Pole leans beyond its tilt threshold" : "Pole back within its tilt threshold";
                break;
        }

        if (raised)
        {
            _uplink.RaiseEvent(code, severity, message);
        }
        else
        {
            _uplink.ClearEvent(code, severity, message);
        }
    }
}
