using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Alarms;

/// <summary>Who raised an alarm.</summary>
public enum AlarmSource
{
    /// <summary>The device or its gateway: a limit of its profile, a status bit, a device that does not answer.</summary>
    [JsonStringEnumMemberName("device")]
    Device,

    /// <summary>An edge rule: an event whose code starts with <c>rule.</c>.</summary>
    [JsonStringEnumMemberName("rule")]
    Rule,

    /// <summary>The fleet itself, e.g. a device gone offline.</summary>
    [JsonStringEnumMemberName("fleet")]
    Fleet,
}
