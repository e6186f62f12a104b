using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// A battery node's life: wake, count while the dial turns, report when a report is due, then sleep until the next
/// report or the next pulse (the pulse contact is the wake-up pin). Deep sleep loses RAM, so before it the journal
/// receives every unsaved pulse, the dial's quarter position, the alarm flags, when the water last moved and when the
/// last report left; the next boot recovers them and carries on as if it had never slept.
/// </summary>
public sealed class LowDutyCycle
{
    private readonly MeterNode _node;
    private readonly MeterNodeConfiguration _configuration;
    private readonly IClock _clock;
    private readonly IPowerControl _power;
    private readonly IMeterUplink _uplink;

    public LowDutyCycle(MeterNode node, MeterNodeConfiguration configuration, IClock clock, IPowerControl power, IMeterUplink uplink)
    {
        _node = node;
        _configuration = configuration;
        _clock = clock;
        _power = power;
        _uplink = uplink;
    }

    /// <summary>Reports that failed to leave since the last one that did.</summary>
    public int FailedReports { get; private set; }

    /// <summary>Whether a report is due: none sent yet, or a report interval has passed since the last.</summary>
    public bool ReportDue =>
        _node.State.LastReportSeconds == 0
        || _node.NowSeconds - _node.State.LastReportSeconds >= (uint)_configuration.ReportIntervalSeconds;

    /// <summary>
    /// One pass: polls the node, reports if due, and sleeps once the dial has been still for
    /// <see cref="MeterNodeConfiguration.AwakeAfterActivityMilliseconds"/>. Returns true when it slept (on a device
    /// it never returns from sleep: the next boot starts over).
    /// </summary>
    public bool Pass()
    {
        _node.Poll();
        if (ReportDue)
        {
            if (_uplink.Send(_node.State, _node.FlowLitresPerHour))
            {
                _node.MarkReported();
                FailedReports = 0;
            }
            else
            {
                FailedReports++;
            }
        }

        if (_clock.UptimeMilliseconds - _node.LastActivityMilliseconds < _configuration.AwakeAfterActivityMilliseconds)
        {
            return false;
        }

        _node.PrepareForSleep();
        _power.DeepSleep(SleepMilliseconds());
        return true;
    }

    /// <summary>How long to sleep: until the next report is due (a failed report is retried after a tenth of the interval).</summary>
    public int SleepMilliseconds()
    {
        long interval = _configuration.ReportIntervalSeconds;
        long remaining = FailedReports > 0
            ? interval / 10
            : interval - (_node.NowSeconds - _node.State.LastReportSeconds);
        if (remaining < 1)
        {
            remaining = 1;
        }

        return (int)(remaining * 1000);
    }
}
