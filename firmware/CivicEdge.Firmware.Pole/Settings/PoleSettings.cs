using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Uplink;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>
/// What an installer or the fleet configures on a pole controller. Kept in settings storage (see
/// <see cref="PoleSettingsStore"/>); the defaults suit an LED luminaire on a 230 V / 50 Hz supply with a 0–10 V driver.
/// </summary>
public sealed class PoleSettings
{
    /// <summary>The most dimming steps a schedule holds.</summary>
    public const int MaxDimmingSteps = 8;

    /// <summary>Latitude of the pole in degrees, north positive (for the astronomical clock).</summary>
    public double Latitude = 52.52;

    /// <summary>Longitude of the pole in degrees, east positive.</summary>
    public double Longitude = 13.40;

    /// <summary>Local time minus UTC in minutes, for the dimming steps (nanoFramework keeps no time zones).</summary>
    public int UtcOffsetMinutes = 60;

    /// <summary>The sun's passage that switches the lamp on in the evening.</summary>
    public SunEvent OnEvent = SunEvent.Sunset;

    /// <summary>Minutes after <see cref="OnEvent"/> (negative: before) that the lamp switches on.</summary>
    public int OnOffsetMinutes;

    /// <summary>The sun's passage that switches the lamp off in the morning.</summary>
    public SunEvent OffEvent = SunEvent.Sunrise;

    /// <summary>Minutes after <see cref="OffEvent"/> (negative: before) that the lamp switches off.</summary>
    public int OffOffsetMinutes;

    /// <summary>Local minute of the day (0–1439) each dimming step starts at; the first <see cref="DimmingStepCount"/> count.</summary>
    public int[] DimmingStepMinutes = new int[MaxDimmingSteps];

    /// <summary>The level (percent of full light) of each dimming step.</summary>
    public int[] DimmingStepLevels = new int[MaxDimmingSteps];

    /// <summary>How many dimming steps are set; none means full light all night.</summary>
    public int DimmingStepCount;

    /// <summary>Switch by the photocell instead of the astronomical clock (the clock still sets the dimming steps).</summary>
    public bool UsePhotocell;

    /// <summary>The lowest light output the driver gives at 1 V on its 0–10 V input, in percent (IEC 60929 Annex E).</summary>
    public int MinimumLevelPercent = 10;

    /// <summary>Seconds a ramp takes from minimum to full light (soft start and soft dimming).</summary>
    public int RampSeconds = 5;

    /// <summary>
    /// Seconds the relay stays open before it may close again: an HID lamp does not re-strike while hot (5–15 min), and
    /// a relay that chatters wears out. Counted from boot too, since a reboot may have cut a burning lamp.
    /// </summary>
    public int MinimumOffSeconds = 60;

    /// <summary>How long a gateway or fleet command overrides the schedule before the schedule resumes.</summary>
    public int CommandOverrideMinutes = 60;

    /// <summary>Manual mode (maintenance, decommissioned pole): the lamp holds <see cref="ManualLevelPercent"/> until released.</summary>
    public bool ManualMode;

    /// <summary>The level held in manual mode; 0 is off.</summary>
    public int ManualLevelPercent;

    /// <summary>Volts at the mains per volt at the voltage pin, after the DC bias (divider or transformer ratio).</summary>
    public double VoltageScale = 230.0 / 0.9;

    /// <summary>Amperes in the lamp per volt at the current pin (current transformer and burden).</summary>
    public double CurrentScale = 1.0;

    /// <summary>Mains cycles per measurement (RMS, power and power factor are taken over whole cycles).</summary>
    public int MeasurementCycles = 5;

    /// <summary>Below this current (A) a lamp with its relay on has failed; at or above it a lamp with its relay off is a day burner.</summary>
    public double LampCurrentThreshold = 0.05;

    /// <summary>Seconds after the relay closes before a lamp is judged (HID lamps take minutes to reach full current).</summary>
    public int IgnitionDelaySeconds = 120;

    /// <summary>Below this voltage (V) the supply is lost: counters are saved at once, while the supply capacitor still holds.</summary>
    public double SupplyLossVoltage = 100;

    /// <summary>Driver temperature (°C) that raises the overtemperature alarm and throttles the light.</summary>
    public double OvertemperatureCelsius = 85;

    /// <summary>How far (°C) the temperature must fall below <see cref="OvertemperatureCelsius"/> to clear the alarm.</summary>
    public double OvertemperatureHysteresis = 5;

    /// <summary>The highest level (percent) while the driver is too hot.</summary>
    public int ThrottleLevelPercent = 50;

    /// <summary>Angle (degrees) from the installed attitude that raises the tilt alarm.</summary>
    public double TiltThresholdDegrees = 10;

    /// <summary>How far (degrees) the angle must come back below the threshold to clear the tilt alarm.</summary>
    public double TiltHysteresisDegrees = 3;

    /// <summary>The accelerometer's reading of gravity when the pole stood as installed (captured at commissioning).</summary>
    public double TiltReferenceX;

    public double TiltReferenceY;

    public double TiltReferenceZ = 1;

    /// <summary>Milliseconds a door contact must hold a level before it counts (contact bounce, a rattling door).</summary>
    public int DoorDebounceMilliseconds = 200;

    /// <summary>Seconds the photocell must see darkness (or light) before it switches (headlights, lightning, a passing cloud).</summary>
    public int PhotocellDelaySeconds = 60;

    /// <summary>How the controller reaches the fleet: answering a gateway on RS-485, or MQTT over its own IP link.</summary>
    public UplinkMode UplinkMode = UplinkMode.ModbusSlave;

    /// <summary>Seconds between readings sent over MQTT.</summary>
    public int ReportSeconds = 60;

    /// <summary>In MQTT mode, the unit address of an SDM120/SDM630-style energy meter on the RS-485 bus; 0 for none.</summary>
    public int MeterUnit;

    /// <summary>The Modbus unit address the controller answers as a slave.</summary>
    public int ModbusUnit = 1;

    /// <summary>The serial number served in holding registers 0x0100–0x0107 (up to 16 ASCII characters).</summary>
    public string SerialNumber = string.Empty;

    /// <summary>
    /// Checks every value; returns null when all are usable, else a message naming the setting, what was expected and
    /// what was found. Storage or a fleet message never puts an unusable value into effect.
    /// </summary>
    public string Validate()
    {
        if (Latitude < -90 || Latitude > 90)
        {
            return Problem("Latitude", "-90..90 degrees", Latitude.ToString("F4"));
        }

        if (Longitude < -180 || Longitude > 180)
        {
            return Problem("Longitude", "-180..180 degrees", Longitude.ToString("F4"));
        }

        if (UtcOffsetMinutes < -14 * 60 || UtcOffsetMinutes > 14 * 60)
        {
            return Problem("UtcOffsetMinutes", "-840..840", UtcOffsetMinutes.ToString("D"));
        }

        if (OnOffsetMinutes < -240 || OnOffsetMinutes > 240 || OffOffsetMinutes < -240 || OffOffsetMinutes > 240)
        {
            return Problem("OnOffsetMinutes/OffOffsetMinutes", "-240..240", OnOffsetMinutes.ToString("D") + "/" + OffOffsetMinutes.ToString("D"));
        }

        if (DimmingStepCount < 0 || DimmingStepCount > MaxDimmingSteps)
        {
            return Problem("DimmingStepCount", "0..8", DimmingStepCount.ToString("D"));
        }

        for (var i = 0; i < DimmingStepCount; i++)
        {
            if (DimmingStepMinutes[i] < 0 || DimmingStepMinutes[i] > 1439)
            {
                return Problem("DimmingStepMinutes[" + i.ToString("D") + "]", "0..1439", DimmingStepMinutes[i].ToString("D"));
            }

            if (DimmingStepLevels[i] < 0 || DimmingStepLevels[i] > 100)
            {
                return Problem("DimmingStepLevels[" + i.ToString("D") + "]", "0..100", DimmingStepLevels[i].ToString("D"));
            }
        }

        if (MinimumLevelPercent < 1 || MinimumLevelPercent > 50)
        {
            return Problem("MinimumLevelPercent", "1..50", MinimumLevelPercent.ToString("D"));
        }

        if (RampSeconds < 0 || RampSeconds > 600)
        {
            return Problem("RampSeconds", "0..600", RampSeconds.ToString("D"));
        }

        if (MinimumOffSeconds < 0 || MinimumOffSeconds > 3600)
        {
            return Problem("MinimumOffSeconds", "0..3600", MinimumOffSeconds.ToString("D"));
        }

        if (CommandOverrideMinutes < 1 || CommandOverrideMinutes > 24 * 60)
        {
            return Problem("CommandOverrideMinutes", "1..1440", CommandOverrideMinutes.ToString("D"));
        }

        if (ManualLevelPercent < 0 || ManualLevelPercent > 100)
        {
            return Problem("ManualLevelPercent", "0..100", ManualLevelPercent.ToString("D"));
        }

        if (!(VoltageScale > 0) || !(CurrentScale > 0))
        {
            return Problem("VoltageScale/CurrentScale", "above 0", VoltageScale.ToString("F4") + "/" + CurrentScale.ToString("F4"));
        }

        if (MeasurementCycles < 1 || MeasurementCycles > 50)
        {
            return Problem("MeasurementCycles", "1..50", MeasurementCycles.ToString("D"));
        }

        if (!(LampCurrentThreshold > 0) || LampCurrentThreshold > 5)
        {
            return Problem("LampCurrentThreshold", "above 0 and at most 5 A", LampCurrentThreshold.ToString("F3"));
        }

        if (IgnitionDelaySeconds < 0 || IgnitionDelaySeconds > 1800)
        {
            return Problem("IgnitionDelaySeconds", "0..1800", IgnitionDelaySeconds.ToString("D"));
        }

        if (OvertemperatureHysteresis < 0 || ThrottleLevelPercent < MinimumLevelPercent || ThrottleLevelPercent > 100)
        {
            return Problem("OvertemperatureHysteresis/ThrottleLevelPercent", "hysteresis 0 or more, throttle level MinimumLevelPercent..100", OvertemperatureHysteresis.ToString("F1") + "/" + ThrottleLevelPercent.ToString("D"));
        }

        if (!(TiltThresholdDegrees > 0) || TiltThresholdDegrees > 90 || TiltHysteresisDegrees < 0 || TiltHysteresisDegrees >= TiltThresholdDegrees)
        {
            return Problem("TiltThresholdDegrees/TiltHysteresisDegrees", "threshold 0..90, hysteresis 0..threshold", TiltThresholdDegrees.ToString("F1") + "/" + TiltHysteresisDegrees.ToString("F1"));
        }

        if (DoorDebounceMilliseconds < 0 || DoorDebounceMilliseconds > 10000 || PhotocellDelaySeconds < 0 || PhotocellDelaySeconds > 600)
        {
            return Problem("DoorDebounceMilliseconds/PhotocellDelaySeconds", "0..10000 ms / 0..600 s", DoorDebounceMilliseconds.ToString("D") + "/" + PhotocellDelaySeconds.ToString("D"));
        }

        if (UplinkMode != UplinkMode.ModbusSlave && UplinkMode != UplinkMode.Mqtt)
        {
            return Problem("UplinkMode", "0 (Modbus slave) or 1 (MQTT)", ((int)UplinkMode).ToString("D"));
        }

        if (ReportSeconds < 5 || ReportSeconds > 3600)
        {
            return Problem("ReportSeconds", "5..3600", ReportSeconds.ToString("D"));
        }

        if (MeterUnit < 0 || MeterUnit > 247)
        {
            return Problem("MeterUnit", "0 (none) or 1..247", MeterUnit.ToString("D"));
        }

        if (ModbusUnit < 1 || ModbusUnit > 247)
        {
            return Problem("ModbusUnit", "1..247", ModbusUnit.ToString("D"));
        }

        if (SerialNumber == null || SerialNumber.Length > 16)
        {
            return Problem("SerialNumber", "up to 16 ASCII characters", SerialNumber == null ? "none" : SerialNumber.Length.ToString("D") + " characters");
        }

        return null;
    }

    /// <summary>Takes every value of <paramref name="other"/> (the live settings object is shared by the controller's parts).</summary>
    public void CopyFrom(PoleSettings other)
    {
        Latitude = other.Latitude;
        Longitude = other.Longitude;
        UtcOffsetMinutes = other.UtcOffsetMinutes;
        OnEvent = other.OnEvent;
        OnOffsetMinutes = other.OnOffsetMinutes;
        OffEvent = other.OffEvent;
        OffOffsetMinutes = other.OffOffsetMinutes;
        for (var i = 0; i < MaxDimmingSteps; i++)
        {
            DimmingStepMinutes[i] = other.DimmingStepMinutes[i];
            DimmingStepLevels[i] = other.DimmingStepLevels[i];
        }

        DimmingStepCount = other.DimmingStepCount;
        UsePhotocell = other.UsePhotocell;
        MinimumLevelPercent = other.MinimumLevelPercent;
        RampSeconds = other.RampSeconds;
        MinimumOffSeconds = other.MinimumOffSeconds;
        CommandOverrideMinutes = other.CommandOverrideMinutes;
        ManualMode = other.ManualMode;
        ManualLevelPercent = other.ManualLevelPercent;
        VoltageScale = other.VoltageScale;
        CurrentScale = other.CurrentScale;
        MeasurementCycles = other.MeasurementCycles;
        LampCurrentThreshold = other.LampCurrentThreshold;
        IgnitionDelaySeconds = other.IgnitionDelaySeconds;
        SupplyLossVoltage = other.SupplyLossVoltage;
        OvertemperatureCelsius = other.OvertemperatureCelsius;
        OvertemperatureHysteresis = other.OvertemperatureHysteresis;
        ThrottleLevelPercent = other.ThrottleLevelPercent;
        TiltThresholdDegrees = other.TiltThresholdDegrees;
        TiltHysteresisDegrees = other.TiltHysteresisDegrees;
        TiltReferenceX = other.TiltReferenceX;
        TiltReferenceY = other.TiltReferenceY;
        TiltReferenceZ = other.TiltReferenceZ;
        DoorDebounceMilliseconds = other.DoorDebounceMilliseconds;
        PhotocellDelaySeconds = other.PhotocellDelaySeconds;
        UplinkMode = other.UplinkMode;
        ReportSeconds = other.ReportSeconds;
        MeterUnit = other.MeterUnit;
        ModbusUnit = other.ModbusUnit;
        SerialNumber = other.SerialNumber;
    }

    private static string Problem(string setting, string expected, string found) =>
        "Setting " + setting + ": expected " + expected + ", found " + found;
}
