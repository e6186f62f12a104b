namespace CivicEdge.Hardware;

/// <summary>
/// Which side of a point's normal band an alarm limit guards. A point may have one limit of each kind; a profile orders
/// them <c>lowLow</c> &lt; <c>low</c> &lt; <c>high</c> &lt; <c>highHigh</c> (the usual H/HH/L/LL of process alarms).
/// </summary>
public enum AlarmKind
{
    /// <summary>Raised while the value is above the limit (<c>high</c>).</summary>
    High,

    /// <summary>Raised while the value is above a second, further limit (<c>highHigh</c>).</summary>
    HighHigh,

    /// <summary>Raised while the value is below the limit (<c>low</c>).</summary>
    Low,

    /// <summary>Raised while the value is below a second, further limit (<c>lowLow</c>).</summary>
    LowLow,

    /// <summary>Raised while the value is not 0: a status flag or a fault code (<c>set</c>).</summary>
    Set,
}
