namespace CivicEdge.Hardware;

/// <summary>
/// One alarm limit of a point: the alarm is raised once the value has been beyond <see cref="Value"/> for
/// <see cref="Delay"/>, and cleared once it is back inside by <see cref="Hysteresis"/>, so that a value hovering at the
/// limit does not raise and clear it at every poll.
/// </summary>
/// <param name="Kind">Which side the limit guards.</param>
/// <param name="Value">The limit, in the point's unit; 0 for <see cref="AlarmKind.Set"/>.</param>
/// <param name="Severity">How urgent the alarm is.</param>
/// <param name="Hysteresis">How far back inside the limit the value must come to clear the alarm, in the point's unit; 0 or more.</param>
/// <param name="Delay">How long the value must stay beyond the limit before the alarm is raised (on-delay); zero raises at once.</param>
/// <param name="Message">What the alarm means, for people; null for a message made from the limit.</param>
public sealed record AlarmLimit(AlarmKind Kind, double Value, AlarmSeverity Severity, double Hysteresis, TimeSpan Delay, string? Message)
{
    /// <summary>The limit's name in profiles and in alarm codes: <c>high</c>, <c>highHigh</c>, <c>low</c>, <c>lowLow</c>, <c>set</c>.</summary>
    public string Name => NameOf(Kind);

    /// <summary>True for <c>high</c> and <c>highHigh</c>.</summary>
    public bool IsHighSide => Kind is AlarmKind.High or AlarmKind.HighHigh;

    /// <summary>True for <c>low</c> and <c>lowLow</c>.</summary>
    public bool IsLowSide => Kind is AlarmKind.Low or AlarmKind.LowLow;

    /// <summary>
    /// The value at or beyond which a raised alarm clears: the limit moved back inside by the hysteresis
    /// (for <see cref="AlarmKind.Set"/>, 0).
    /// </summary>
    public double ClearLevel => Kind switch
    {
        AlarmKind.High or AlarmKind.HighHigh => Value - Hysteresis,
        AlarmKind.Low or AlarmKind.LowLow => Value + Hysteresis,
        _ => 0,
    };

    /// <summary>True while <paramref name="value"/> is beyond the limit: above a high-side one, below a low-side one, not 0 for a flag.</summary>
    public bool IsBeyond(double value) => Kind switch
    {
        AlarmKind.High or AlarmKind.HighHigh => value > Value,
        AlarmKind.Low or AlarmKind.LowLow => value < Value,
        _ => value != 0,
    };

    /// <summary>True once <paramref name="value"/> is back inside by the hysteresis, so a raised alarm clears.</summary>
    public bool IsBackInside(double value) => Kind switch
    {
        AlarmKind.High or AlarmKind.HighHigh => value <= ClearLevel,
        AlarmKind.Low or AlarmKind.LowLow => value >= ClearLevel,
        _ => value == 0,
    };

    /// <summary>The profile name of <paramref name="kind"/>.</summary>
    public static string NameOf(AlarmKind kind) => kind switch
    {
        AlarmKind.High => "high",
        AlarmKind.HighHigh => "highHigh",
        AlarmKind.Low => "low",
        AlarmKind.LowLow => "lowLow",
        AlarmKind.Set => "set",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an alarm kind."),
    };
}
