namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// The flow rate behind a meter's pulses, estimated once per report. With two or more pulses since the last report it
/// is the volume between the first and the last of them over the time between them, which does not alias with the
/// report interval as a count per interval would (at 10 L per pulse and 0.5 m³/h, a pulse comes every 72 s: a count
/// per minute would swing between 0 and 0.6 m³/h). With fewer, it is one pulse's volume over the last period between
/// pulses. Either way the period is stretched to the time since the last pulse when that is longer, so a meter that
/// stops reads as slowing down, and as zero once no pulse has come for <c>noFlowAfter</c>.
/// </summary>
/// <param name="litresPerPulse">The volume of one pulse in litres.</param>
/// <param name="noFlowAfter">How long without a pulse before the flow is zero.</param>
public sealed class FlowEstimator(double litresPerPulse, TimeSpan noFlowAfter)
{
    /// <summary>m³/h per L/s: 3600 s/h ÷ 1000 L/m³.</summary>
    private const double CubicMetresPerHourPerLitrePerSecond = 3.6;

    private readonly Lock _gate = new();
    private DateTimeOffset? _last;
    private DateTimeOffset? _previous;
    private DateTimeOffset? _windowFirst;
    private int _windowCount;

    /// <summary>Notes a pulse that began at <paramref name="at"/>; pulses come in time order.</summary>
    public void Pulse(DateTimeOffset at)
    {
        lock (_gate)
        {
            _previous = _last;
            _last = at;
            _windowFirst ??= at;
            _windowCount++;
        }
    }

    /// <summary>The flow rate in m³/h at <paramref name="now"/>, and starts a new window of pulses.</summary>
    public double Estimate(DateTimeOffset now)
    {
        lock (_gate)
        {
            var first = _windowFirst;
            var count = _windowCount;
            _windowFirst = null;
            _windowCount = 0;
            if (_last is not { } last || now - last >= noFlowAfter)
                return 0;

            TimeSpan period;
            if (count >= 2)
                period = (last - first!.Value) / (count - 1);
            else if (_previous is { } previous)
                period = last - previous;
            else
                return 0;

            var sinceLast = now - last;
            if (sinceLast > period)
                period = sinceLast;
            return period <= TimeSpan.Zero ? 0 : litresPerPulse / period.TotalSeconds * CubicMetresPerHourPerLitrePerSecond;
        }
    }
}
