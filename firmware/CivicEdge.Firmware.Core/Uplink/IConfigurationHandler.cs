using CivicEdge.Firmware.Core.Json;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// An app's settings as the fleet's twin sets them: the desired configuration names this device in its <c>devices</c>
/// list, and every other key of that entry is one setting (e.g. <c>{"id":"POLE-1","dimLevel":40,"reportSeconds":60}</c>).
/// A desired version is applied whole or not at all: every setting is checked first, then every one is applied.
/// </summary>
public interface IConfigurationHandler
{
    /// <summary>Null when <paramref name="value"/> is acceptable for <paramref name="name"/>; otherwise why not, e.g. <c>expected 0 to 100, found the number 140</c>.</summary>
    string Check(string name, ScalarValue value);

    /// <summary>Applies a setting that <see cref="Check"/> accepted.</summary>
    void Apply(string name, ScalarValue value);

    /// <summary>The fleet withdrew its configuration: the app's own settings apply again.</summary>
    void RestoreDefaults();
}
