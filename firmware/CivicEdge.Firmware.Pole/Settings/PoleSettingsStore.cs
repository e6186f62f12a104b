using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Scheduling;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>
/// Keeps <see cref="PoleSettings"/> in settings storage (slot "pole.settings", two copies, see <see cref="DualSlotRecord"/>).
/// A record of another layout version, a torn one or one whose values do not validate is not used: the controller
/// starts on the defaults and <see cref="Problem"/> says why, for the uplink to report.
/// </summary>
public sealed class PoleSettingsStore
{
    private const int LayoutVersion = 1;
    private const int MaxLength = 512;

    private readonly DualSlotRecord _record;

    public PoleSettingsStore(ISettingsStorage storage)
    {
        _record = new DualSlotRecord(storage, "pole.settings");
    }

    /// <summary>Why the last <see cref="Load"/> fell back to the defaults, or null when it did not.</summary>
    public string Problem { get; private set; }

    /// <summary>The stored settings, or the defaults when none are stored or the stored ones cannot be used.</summary>
    public PoleSettings Load()
    {
        Problem = null;
        var payload = _record.Read();
        if (payload == null)
        {
            if (_record.CorruptCopies > 0)
            {
                Problem = "Settings: both stored copies are corrupt; running on defaults";
            }

            return new PoleSettings();
        }

        var reader = new RecordReader(payload);
        var version = reader.ReadByte();
        if (version != LayoutVersion)
        {
            Problem = "Settings: expected layout version " + LayoutVersion.ToString("D") + ", found " + version.ToString("D") + "; running on defaults";
            return new PoleSettings();
        }

        var settings = new PoleSettings();
        settings.Latitude = reader.ReadDouble();
        settings.Longitude = reader.ReadDouble();
        settings.UtcOffsetMinutes = reader.ReadInt32();
        settings.OnEvent = (SunEvent)reader.ReadByte();
        settings.OnOffsetMinutes = reader.ReadInt32();
        settings.OffEvent = (SunEvent)reader.ReadByte();
        settings.OffOffsetMinutes = reader.ReadInt32();
        settings.DimmingStepCount = reader.ReadByte();
        for (var i = 0; i < PoleSettings.MaxDimmingSteps; i++)
        {
            settings.DimmingStepMinutes[i] = reader.ReadInt32();
            settings.DimmingStepLevels[i] = reader.ReadByte();
        }

        settings.UsePhotocell = reader.ReadByte() != 0;
        settings.MinimumLevelPercent = reader.ReadByte();
        settings.RampSeconds = reader.ReadInt32();
        settings.MinimumOffSeconds = reader.ReadInt32();
        settings.CommandOverrideMinutes = reader.ReadInt32();
        settings.ManualMode = reader.ReadByte() != 0;
        settings.ManualLevelPercent = reader.ReadByte();
        settings.VoltageScale = reader.ReadDouble();
        settings.CurrentScale = reader.ReadDouble();
        settings.MeasurementCycles = reader.ReadByte();
        settings.LampCurrentThreshold = reader.ReadDouble();
        settings.IgnitionDelaySeconds = reader.ReadInt32();
        settings.SupplyLossVoltage = reader.ReadDouble();
        settings.OvertemperatureCelsius = reader.ReadDouble();
        settings.OvertemperatureHysteresis = reader.ReadDouble();
        settings.ThrottleLevelPercent = reader.ReadByte();
        settings.TiltThresholdDegrees = reader.ReadDouble();
        settings.TiltHysteresisDegrees = reader.ReadDouble();
        settings.TiltReferenceX = reader.ReadDouble();
        settings.TiltReferenceY = reader.ReadDouble();
        settings.TiltReferenceZ = reader.ReadDouble();
        settings.DoorDebounceMilliseconds = reader.ReadInt32();
        settings.PhotocellDelaySeconds = reader.ReadInt32();
        settings.ModbusUnit = reader.ReadByte();
        settings.SerialNumber = reader.ReadAscii();
        if (reader.Overrun)
        {
            Problem = "Settings: the stored record is shorter than layout version 1; running on defaults";
            return new PoleSettings();
        }

        var invalid = settings.Validate();
        if (invalid != null)
        {
            Problem = invalid + " (stored); running on defaults";
            return new PoleSettings();
        }

        return settings;
    }

    /// <summary>Stores <paramref name="settings"/>; returns null, or the validation problem and stores nothing.</summary>
    public string Save(PoleSettings settings)
    {
        var invalid = settings.Validate();
        if (invalid != null)
        {
            return invalid;
        }

        var writer = new RecordWriter(new byte[MaxLength]);
        writer.WriteByte(LayoutVersion);
        writer.WriteDouble(settings.Latitude);
        writer.WriteDouble(settings.Longitude);
        writer.WriteInt32(settings.UtcOffsetMinutes);
        writer.WriteByte((int)settings.OnEvent);
        writer.WriteInt32(settings.OnOffsetMinutes);
        writer.WriteByte((int)settings.OffEvent);
        writer.WriteInt32(settings.OffOffsetMinutes);
        writer.WriteByte(settings.DimmingStepCount);
        for (var i = 0; i < PoleSettings.MaxDimmingSteps; i++)
        {
            writer.WriteInt32(settings.DimmingStepMinutes[i]);
            writer.WriteByte(settings.DimmingStepLevels[i]);
        }

        writer.WriteByte(settings.UsePhotocell ? 1 : 0);
        writer.WriteByte(settings.MinimumLevelPercent);
        writer.WriteInt32(settings.RampSeconds);
        writer.WriteInt32(settings.MinimumOffSeconds);
        writer.WriteInt32(settings.CommandOverrideMinutes);
        writer.WriteByte(settings.ManualMode ? 1 : 0);
        writer.WriteByte(settings.ManualLevelPercent);
        writer.WriteDouble(settings.VoltageScale);
        writer.WriteDouble(settings.CurrentScale);
        writer.WriteByte(settings.MeasurementCycles);
        writer.WriteDouble(settings.LampCurrentThreshold);
        writer.WriteInt32(settings.IgnitionDelaySeconds);
        writer.WriteDouble(settings.SupplyLossVoltage);
        writer.WriteDouble(settings.OvertemperatureCelsius);
        writer.WriteDouble(settings.OvertemperatureHysteresis);
        writer.WriteByte(settings.ThrottleLevelPercent);
        writer.WriteDouble(settings.TiltThresholdDegrees);
        writer.WriteDouble(settings.TiltHysteresisDegrees);
        writer.WriteDouble(settings.TiltReferenceX);
        writer.WriteDouble(settings.TiltReferenceY);
        writer.WriteDouble(settings.TiltReferenceZ);
        writer.WriteInt32(settings.DoorDebounceMilliseconds);
        writer.WriteInt32(settings.PhotocellDelaySeconds);
        writer.WriteByte(settings.ModbusUnit);
        writer.WriteAscii(settings.SerialNumber);
        _record.Write(writer.Buffer, writer.Length);
        return null;
    }
}
