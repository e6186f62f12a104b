namespace CivicEdge.Hardware;

/// <summary>How urgent an alarm of a profile is, from <c>info</c> to <c>critical</c>.</summary>
public enum AlarmSeverity
{
    /// <summary>For the record; nobody needs to act.</summary>
    Info,

    /// <summary>Something to look at during normal working hours.</summary>
    Warning,

    /// <summary>A fault that needs someone to act soon.</summary>
    Major,

    /// <summary>A danger to people or property: act now.</summary>
    Critical,
}
