namespace CivicEdge.Gateway.Acquisition;

/// <summary>A device's place in its bus's schedule: when it is due next, and the pipeline its polls go through.</summary>
internal sealed class ScheduledDevice(DevicePoller poller, int order, DevicePipeline pipeline)
{
    public DevicePoller Poller { get; } = poller;

    public DevicePipeline Pipeline { get; } = pipeline;

    /// <summary>Configuration order, the last tie-breaker.</summary>
    public int Order { get; } = order;

    public DateTimeOffset Due { get; private set; }

    /// <summary>
    /// Puts the device on the schedule: due at once, unless its poller was scheduled before (it kept its poller across a
    /// reconfiguration that restarted its bus), in which case it keeps its place in time and is polled neither early
    /// nor late.
    /// </summary>
    public void Start(DateTimeOffset now) => SetDue(Poller.Counters.NextPoll ?? now);

    /// <summary>True when the device has waited past its due time for a whole interval more: it goes next whatever its priority.</summary>
    public bool IsStarving(DateTimeOffset now) => now - Due >= Poller.Interval;

    /// <summary>
    /// Sets the next due time after a poll that ended at <paramref name="now"/>: the next slot of the device's fixed-rate
    /// grid (so a slow bus neither drifts nor makes up missed polls in a burst); for a device that did not answer, the
    /// back-off.
    /// </summary>
    public void Reschedule(DateTimeOffset now)
    {
        if (Poller.ConsecutiveUnansweredPolls > 0)
        {
            SetDue(now + BusScheduler.Backoff(Poller.Interval, Poller.ConsecutiveUnansweredPolls));
            return;
        }

        var missed = now > Due ? (now - Due).Ticks / Poller.Interval.Ticks : 0;
        SetDue(Due + Poller.Interval * (missed + 1));
    }

    private void SetDue(DateTimeOffset due)
    {
        Due = due;
        Poller.NoteNextPoll(due);
    }
}
