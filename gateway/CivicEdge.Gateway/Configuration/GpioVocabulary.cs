using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Configuration;

/// <summary>The words the <c>Gpio</c> section accepts, parsed ignoring case; each <c>Expected…</c> is for error messages.</summary>
public static class GpioVocabulary
{
    public const string ExpectedDriver = "libgpiod, libgpiod2, sysfs or simulated";

    public const string ExpectedPull = "up, down or none";

    public const string ExpectedSeverity = "info, warning, major or critical";

    public const string ExpectedSwitch = "on or off";

    public static bool TryParseDriver(string? text, out GpioDriverKind kind)
    {
        (var known, kind) = Normalize(text) switch
        {
            "libgpiod" => (true, GpioDriverKind.Libgpiod),
            "libgpiod2" => (true, GpioDriverKind.Libgpiod2),
            "sysfs" => (true, GpioDriverKind.Sysfs),
            "simulated" => (true, GpioDriverKind.Simulated),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>Parses a pull resistor into the pin mode that requests it.</summary>
    public static bool TryParsePull(string? text, out PinMode mode)
    {
        (var known, mode) = Normalize(text) switch
        {
            "up" => (true, PinMode.InputPullUp),
            "down" => (true, PinMode.InputPullDown),
            "none" => (true, PinMode.Input),
            _ => (false, PinMode.Input),
        };
        return known;
    }

    public static bool TryParseSeverity(string? text, out EventSeverity severity)
    {
        (var known, severity) = Normalize(text) switch
        {
            "info" => (true, EventSeverity.Info),
            "warning" => (true, EventSeverity.Warning),
            "major" => (true, EventSeverity.Major),
            "critical" => (true, EventSeverity.Critical),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>Parses <c>on</c> (true) or <c>off</c> (false).</summary>
    public static bool TryParseSwitch(string? text, out bool on)
    {
        (var known, on) = Normalize(text) switch
        {
            "on" => (true, true),
            "off" => (true, false),
            _ => (false, false),
        };
        return known;
    }

    /// <summary>
    /// Names of GPIO entries and the points they report are snake_case, as profile points are (hardware/profiles/README.md),
    /// so that they read the same in telemetry and in the URLs and commands that set outputs by name.
    /// </summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && char.IsAsciiLetterLower(name[0])
        && name[^1] != '_'
        && !name.Contains("__", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static string? Normalize(string? text) => text?.Trim().ToLowerInvariant();
}
