using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Settings;
using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Uplink;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>
/// Keeps <see cref="PoleSettings"/> in the core's <see cref="SettingsStore"/> (slots "pole.settings.a"/".b", two copies
/// with generation and CRC-32, written only on change), one key per setting, so a later firmware that adds a setting
/// reads the older record with the new setting at its default. Stored values that do not validate are not used: the
/// controller starts on the defaults and <see cref="Problem"/> says why, for the uplink to report.
/// </summary>
public sealed class PoleSettingsStore
{
    private const string DimmingStepsKey = "dimming.steps";

    private readonly SettingsStore _store;

    public PoleSettingsStore(ISettingsStorage storage)
    {
        _store = new SettingsStore(storage, "pole.settings");
    }

    /// <summary>
    /// Why the last <see cref="Load"/> set a stored copy aside or fell back to the defaults, or null when it did neither.
    /// </summary>
    public string Problem { get; private set; }

    /// <summary>How many saves reached storage since this instance was made.</summary>
    public int Saves => _store.Saves;

    /// <summary>The stored settings, or the defaults for what is not stored or when the stored values cannot be used.</summary>
    public PoleSettings Load()
    {
        _store.Load();
        Problem = _store.LoadProblem;
        var defaults = new PoleSettings();
        var settings = new PoleSettings();
        try
        {
            Read(settings, defaults);
        }
        catch (SettingsException e)
        {
            Problem = e.Message + " Running on defaults.";
            return defaults;
        }

        var invalid = settings.Validate();
        if (invalid != null)
        {
            Problem = invalid + " (stored). Running on defaults.";
            return defaults;
        }

        return settings;
    }

    /// <summary>Stores <paramref name="settings"/> (writing only if a value changed); returns null, or the validation problem and stores nothing.</summary>
    public string Save(PoleSettings settings)
    {
        var invalid = settings.Validate();
        if (invalid != null)
        {
            return invalid;
        }

        _store.SetDouble("latitude", settings.Latitude);
        _store.SetDouble("longitude", settings.Longitude);
        _store.SetInt32("utc.offset.min", settings.UtcOffsetMinutes);
        _store.SetInt32("on.event", (int)settings.OnEvent);
        _store.SetInt32("on.offset.min", settings.OnOffsetMinutes);
        _store.SetInt32("off.event", (int)settings.OffEvent);
        _store.SetInt32("off.offset.min", settings.OffOffsetMinutes);
        var steps = new byte[settings.DimmingStepCount * 3];
        for (var i = 0; i < settings.DimmingStepCount; i++)
        {
            steps[i * 3] = (byte)(settings.DimmingStepMinutes[i] >> 8);
            steps[(i * 3) + 1] = (byte)settings.DimmingStepMinutes[i];
            steps[(i * 3) + 2] = (byte)settings.DimmingStepLevels[i];
        }

        _store.SetBytes(DimmingStepsKey, steps);
        _store.SetBoolean("photocell", settings.UsePhotocell);
        _store.SetInt32("level.min", settings.MinimumLevelPercent);
        _store.SetInt32("ramp.s", settings.RampSeconds);
        _store.SetInt32("off.min.s", settings.MinimumOffSeconds);
        _store.SetInt32("command.min", settings.CommandOverrideMinutes);
        _store.SetBoolean("manual", settings.ManualMode);
        _store.SetInt32("manual.level", settings.ManualLevelPercent);
        _store.SetDouble("cal.voltage", settings.VoltageScale);
        _store.SetDouble("cal.current", settings.CurrentScale);
        _store.SetInt32("cycles", settings.MeasurementCycles);
        _store.SetDouble("lamp.threshold.a", settings.LampCurrentThreshold);
        _store.SetInt32("ignition.s", settings.IgnitionDelaySeconds);
        _store.SetDouble("supply.loss.v", settings.SupplyLossVoltage);
        _store.SetDouble("overtemp.c", settings.OvertemperatureCelsius);
        _store.SetDouble("overtemp.hyst.c", settings.OvertemperatureHysteresis);
        _store.SetInt32("throttle.level", settings.ThrottleLevelPercent);
        _store.SetDouble("tilt.deg", settings.TiltThresholdDegrees);
        _store.SetDouble("tilt.hyst.deg", settings.TiltHysteresisDegrees);
        _store.SetDouble("tilt.ref.x", settings.TiltReferenceX);
        _store.SetDouble("tilt.ref.y", settings.TiltReferenceY);
        _store.SetDouble("tilt.ref.z", settings.TiltReferenceZ);
        _store.SetInt32("door.debounce.ms", settings.DoorDebounceMilliseconds);
        _store.SetInt32("photocell.delay.s", settings.PhotocellDelaySeconds);
        _store.SetInt32("uplink", (int)settings.UplinkMode);
        _store.SetInt32("report.s", settings.ReportSeconds);
        _store.SetInt32("meter.unit", settings.MeterUnit);
        _store.SetInt32("modbus.unit", settings.ModbusUnit);
        _store.SetString("serial", settings.SerialNumber);
        _store.Save();
        return null;
    }

    private void Read(PoleSettings settings, PoleSettings defaults)
    {
        settings.Latitude = _store.GetDouble("latitude", defaults.Latitude);
        settings.Longitude = _store.GetDouble("longitude", defaults.Longitude);
        settings.UtcOffsetMinutes = _store.GetInt32("utc.offset.min", defaults.UtcOffsetMinutes);
        settings.OnEvent = (SunEvent)_store.GetInt32("on.event", (int)defaults.OnEvent);
        settings.OnOffsetMinutes = _store.GetInt32("on.offset.min", defaults.OnOffsetMinutes);
        settings.OffEvent = (SunEvent)_store.GetInt32("off.event", (int)defaults.OffEvent);
        settings.OffOffsetMinutes = _store.GetInt32("off.offset.min", defaults.OffOffsetMinutes);
        var steps = _store.GetBytes(DimmingStepsKey, new byte[0]);
        settings.DimmingStepCount = steps.Length % 3 == 0 ? steps.Length / 3 : PoleSettings.MaxDimmingSteps + 1;
        for (var i = 0; i < settings.DimmingStepCount && i < PoleSettings.MaxDimmingSteps; i++)
        {
            settings.DimmingStepMinutes[i] = (steps[i * 3] << 8) | steps[(i * 3) + 1];
            settings.DimmingStepLevels[i] = steps[(i * 3) + 2];
        }

        settings.UsePhotocell = _store.GetBoolean("photocell", defaults.UsePhotocell);
        settings.MinimumLevelPercent = _store.GetInt32("level.min", defaults.MinimumLevelPercent);
        settings.RampSeconds = _store.GetInt32("ramp.s", defaults.RampSeconds);
        settings.MinimumOffSeconds = _store.GetInt32("off.min.s", defaults.MinimumOffSeconds);
        settings.CommandOverrideMinutes = _store.GetInt32("command.min", defaults.CommandOverrideMinutes);
        settings.ManualMode = _store.GetBoolean("manual", defaults.ManualMode);
        settings.ManualLevelPercent = _store.GetInt32("manual.level", defaults.ManualLevelPercent);
        settings.VoltageScale = _store.GetDouble("cal.voltage", defaults.VoltageScale);
        settings.CurrentScale = _store.GetDouble("cal.current", defaults.CurrentScale);
        settings.MeasurementCycles = _store.GetInt32("cycles", defaults.MeasurementCycles);
        settings.LampCurrentThreshold = _store.GetDouble("lamp.threshold.a", defaults.LampCurrentThreshold);
        settings.IgnitionDelaySeconds = _store.GetInt32("ignition.s", defaults.IgnitionDelaySeconds);
        settings.SupplyLossVoltage = _store.GetDouble("supply.loss.v", defaults.SupplyLossVoltage);
        settings.OvertemperatureCelsius = _store.GetDouble("overtemp.c", defaults.OvertemperatureCelsius);
        settings.OvertemperatureHysteresis = _store.GetDouble("overtemp.hyst.c", defaults.OvertemperatureHysteresis);
        settings.ThrottleLevelPercent = _store.GetInt32("throttle.level", defaults.ThrottleLevelPercent);
        settings.TiltThresholdDegrees = _store.GetDouble("tilt.deg", defaults.TiltThresholdDegrees);
        settings.TiltHysteresisDegrees = _store.GetDouble("tilt.hyst.deg", defaults.TiltHysteresisDegrees);
        settings.TiltReferenceX = _store.GetDouble("tilt.ref.x", defaults.TiltReferenceX);
        settings.TiltReferenceY = _store.GetDouble("tilt.ref.y", defaults.TiltReferenceY);
        settings.TiltReferenceZ = _store.GetDouble("tilt.ref.z", defaults.TiltReferenceZ);
        settings.DoorDebounceMilliseconds = _store.GetInt32("door.debounce.ms", defaults.DoorDebounceMilliseconds);
        settings.PhotocellDelaySeconds = _store.GetInt32("photocell.delay.s", defaults.PhotocellDelaySeconds);
        settings.UplinkMode = (UplinkMode)_store.GetInt32("uplink", (int)defaults.UplinkMode);
        settings.ReportSeconds = _store.GetInt32("report.s", defaults.ReportSeconds);
        settings.MeterUnit = _store.GetInt32("meter.unit", defaults.MeterUnit);
        settings.ModbusUnit = _store.GetInt32("modbus.unit", defaults.ModbusUnit);
        settings.SerialNumber = _store.GetString("serial", defaults.SerialNumber);
    }
}
