using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Uplink;

/// <summary>
/// The fleet's twin configuration for a pole: each key of the device's entry sets one of <see cref="PoleSettings"/>
/// (<c>latitude</c>, <c>longitude</c>, <c>utcOffsetMinutes</c>, <c>onOffsetMinutes</c>, <c>offOffsetMinutes</c>,
/// <c>minimumLevel</c>, <c>rampSeconds</c>, <c>minimumOffSeconds</c>, <c>commandMinutes</c>, <c>manual</c>,
/// <c>manualLevel</c>, <c>usePhotocell</c>, <c>ignitionSeconds</c>, <c>reportSeconds</c>), checked against the same
/// validation as stored settings. When the fleet withdraws its configuration, the settings from before its first
/// change apply again.
/// </summary>
public sealed class PoleConfiguration : IConfigurationHandler
{
    private readonly PoleController _controller;
    private readonly PoleSettings _candidate = new PoleSettings();
    private PoleSettings _own;

    public PoleConfiguration(PoleController controller)
    {
        _controller = controller;
    }

    public string Check(string name, ScalarValue value)
    {
        _candidate.CopyFrom(_controller.Settings);
        var problem = Set(_candidate, name, value);
        return problem ?? _candidate.Validate();
    }

    public void Apply(string name, ScalarValue value)
    {
        if (_own == null)
        {
            _own = new PoleSettings();
            _own.CopyFrom(_controller.Settings);
        }

        _candidate.CopyFrom(_controller.Settings);
        Set(_candidate, name, value);
        _controller.ApplySettings(_candidate);
    }

    public void RestoreDefaults()
    {
        if (_own != null)
        {
            _controller.ApplySettings(_own);
            _own = null;
        }
    }

    private static string Set(PoleSettings settings, string name, ScalarValue value)
    {
        if (name == "manual" || name == "usePhotocell")
        {
            if (value.Kind != ScalarKind.Boolean)
            {
                return "expected true or false, found " + value.Describe();
            }

            if (name == "manual")
            {
                settings.ManualMode = value.Boolean;
            }
            else
            {
                settings.UsePhotocell = value.Boolean;
            }

            return null;
        }

        if (value.Kind != ScalarKind.Number)
        {
            return "expected a number, found " + value.Describe();
        }

        var number = value.Number;
        var whole = (int)number;
        var isWhole = whole == number;
        switch (name)
        {
            case "latitude":
                settings.Latitude = number;
                return null;
            case "longitude":
                settings.Longitude = number;
                return null;
            case "lampCurrentThreshold":
                settings.LampCurrentThreshold = number;
                return null;
        }

        if (!isWhole)
        {
            return "expected a whole number, found " + value.Describe();
        }

        switch (name)
        {
            case "utcOffsetMinutes":
                settings.UtcOffsetMinutes = whole;
                return null;
            case "onOffsetMinutes":
                settings.OnOffsetMinutes = whole;
                return null;
            case "offOffsetMinutes":
                settings.OffOffsetMinutes = whole;
                return null;
            case "minimumLevel":
                settings.MinimumLevelPercent = whole;
                return null;
            case "rampSeconds":
                settings.RampSeconds = whole;
                return null;
            case "minimumOffSeconds":
                settings.MinimumOffSeconds = whole;
                return null;
            case "commandMinutes":
                settings.CommandOverrideMinutes = whole;
                return null;
            case "manualLevel":
                settings.ManualLevelPercent = whole;
                return null;
            case "ignitionSeconds":
                settings.IgnitionDelaySeconds = whole;
                return null;
            case "reportSeconds":
                settings.ReportSeconds = whole;
                return null;
            default:
                return "unknown setting for a pole controller";
        }
    }
}
