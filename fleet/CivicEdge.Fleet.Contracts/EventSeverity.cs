using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>How urgent an event is, in the order an operator's list sorts them (ISA-18.2 priorities, simplified).</summary>
public enum EventSeverity
{
    /// <summary>For the record; nobody needs to act.</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    /// <summary>Something to look at during normal working hours.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>A fault that needs someone to act soon: a lamp out, a door open.</summary>
    [JsonStringEnumMemberName("major")]
    Major,

    /// <summary>A danger to people or property: act now.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}
