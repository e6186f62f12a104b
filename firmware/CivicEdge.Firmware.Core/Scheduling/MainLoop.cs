using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Scheduling;

/// <summary>
/// The cooperative scheduler of the device's main thread. One pass runs every job that is due, once, in the order
/// they were added; then the watchdog is fed; then the thread sleeps until the next job is due (but never so long
/// that the watchdog would expire). A job that hangs therefore stops the feeding and the watchdog resets the device.
/// A job that comes round later than a whole period has overrun: the missed runs are counted and skipped, not
/// caught up in a burst, and the job keeps its phase. A job that throws is counted and the pass goes on.
/// Nothing is allocated per pass.
/// </summary>
public sealed class MainLoop
{
    private readonly IClock _clock;
    private readonly IWatchdog _watchdog;
    private readonly IDelay _delay;
    private readonly int _watchdogTimeout;
    private readonly int _longestSleep;
    private readonly IScheduledJob[] _jobs;
    private readonly string[] _names;
    private readonly int[] _periods;
    private readonly long[] _due;
    private readonly long[] _runs;
    private readonly long[] _overruns;
    private readonly long[] _faults;
    private int _count;
    private volatile bool _stopping;

    /// <param name="clock">Where uptime comes from.</param>
    /// <param name="watchdog">Fed after every full pass.</param>
    /// <param name="delay">Sleeps between passes.</param>
    /// <param name="capacity">How many jobs the loop holds at most.</param>
    /// <param name="watchdogTimeoutMilliseconds">The watchdog's timeout; the loop never sleeps longer than half of it.</param>
    public MainLoop(IClock clock, IWatchdog watchdog, IDelay delay, int capacity, int watchdogTimeoutMilliseconds)
    {
        if (clock == null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        if (watchdog == null)
        {
            throw new ArgumentNullException(nameof(watchdog));
        }

        if (delay == null)
        {
            throw new ArgumentNullException(nameof(delay));
        }

        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be at least 1; found " + capacity + ".");
        }

        if (watchdogTimeoutMilliseconds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(watchdogTimeoutMilliseconds), "watchdogTimeoutMilliseconds must be at least 2; found " + watchdogTimeoutMilliseconds + ".");
        }

        _clock = clock;
        _watchdog = watchdog;
        _delay = delay;
        _watchdogTimeout = watchdogTimeoutMilliseconds;
        _longestSleep = watchdogTimeoutMilliseconds / 2;
        _jobs = new IScheduledJob[capacity];
        _names = new string[capacity];
        _periods = new int[capacity];
        _due = new long[capacity];
        _runs = new long[capacity];
        _overruns = new long[capacity];
        _faults = new long[capacity];
    }

    /// <summary>How many jobs the loop holds.</summary>
    public int JobCount => _count;

    /// <summary>Passes completed (each one fed the watchdog).</summary>
    public long Passes { get; private set; }

    /// <summary>Runs missed by all jobs together because a pass came round later than a whole period.</summary>
    public long Overruns { get; private set; }

    /// <summary>Exceptions thrown by jobs, all together.</summary>
    public long Faults { get; private set; }

    /// <summary>The longest pass so far, from its first job to feeding the watchdog.</summary>
    public long LongestPassMilliseconds { get; private set; }

    /// <summary>The name of the job that threw last, or null.</summary>
    public string LastFaultJob { get; private set; }

    /// <summary>What the job that threw last said, or null.</summary>
    public string LastFaultMessage { get; private set; }

    /// <summary>
    /// Adds a job that runs every <paramref name="periodMilliseconds"/>, first <paramref name="firstRunAfterMilliseconds"/>
    /// after now; returns its index for the per-job counters.
    /// </summary>
    public int Add(string name, IScheduledJob job, int periodMilliseconds, int firstRunAfterMilliseconds)
    {
        if (job == null)
        {
            throw new ArgumentNullException(nameof(job));
        }

        if (name == null || name.Length == 0)
        {
            throw new ArgumentException("A job needs a name, for its counters and fault reports.");
        }

        if (periodMilliseconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(periodMilliseconds), "Job '" + name + "': the period must be at least 1 ms; found " + periodMilliseconds + ".");
        }

        if (firstRunAfterMilliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRunAfterMilliseconds), "Job '" + name + "': the first run must be now or later; found " + firstRunAfterMilliseconds + " ms.");
        }

        if (_count == _jobs.Length)
        {
            throw new InvalidOperationException("The main loop holds " + _jobs.Length + " jobs already; job '" + name + "' does not fit (raise its capacity).");
        }

        int index = _count;
        _jobs[index] = job;
        _names[index] = name;
        _periods[index] = periodMilliseconds;
        _due[index] = _clock.UptimeMilliseconds + firstRunAfterMilliseconds;
        _count++;
        return index;
    }

    /// <summary>The name the job at <paramref name="index"/> was added with.</summary>
    public string NameOf(int index) => _names[CheckIndex(index)];

    /// <summary>How often the job at <paramref name="index"/> has run.</summary>
    public long RunsOf(int index) => _runs[CheckIndex(index)];

    /// <summary>How many runs the job at <paramref name="index"/> missed because a pass came too late.</summary>
    public long OverrunsOf(int index) => _overruns[CheckIndex(index)];

    /// <summary>How often the job at <paramref name="index"/> threw.</summary>
    public long FaultsOf(int index) => _faults[CheckIndex(index)];

    /// <summary>
    /// One pass: every job due now runs once, then the watchdog is fed. Returns how long the thread may sleep before
    /// the next job is due (0 when one is due already), at most half the watchdog's timeout.
    /// </summary>
    public int RunPass()
    {
        long start = _clock.UptimeMilliseconds;
        for (int i = 0; i < _count; i++)
        {
            long now = _clock.UptimeMilliseconds;
            if (now < _due[i])
            {
                continue;
            }

            long late = now - _due[i];
            long missed = late / _periods[i];
            if (missed > 0)
            {
                _overruns[i] += missed;
                Overruns += missed;
            }

            _due[i] += (missed + 1) * _periods[i];
            _runs[i]++;
            try
            {
                _jobs[i].Run(now);
            }
            catch (Exception e)
            {
                _faults[i]++;
                Faults++;
                LastFaultJob = _names[i];
                LastFaultMessage = e.Message;
            }
        }

        _watchdog.Feed();
        Passes++;
        long end = _clock.UptimeMilliseconds;
        if (end - start > LongestPassMilliseconds)
        {
            LongestPassMilliseconds = end - start;
        }

        return SleepBefore(end);
    }

    /// <summary>Arms the watchdog and runs passes, sleeping between them, until <see cref="Stop"/> is called.</summary>
    public void Run()
    {
        _stopping = false;
        _watchdog.Start(_watchdogTimeout);
        while (!_stopping)
        {
            int sleep = RunPass();
            if (sleep > 0 && !_stopping)
            {
                _delay.Sleep(sleep);
            }
        }
    }

    /// <summary>Ends <see cref="Run"/> after the current pass (from a job, or from another thread).</summary>
    public void Stop() => _stopping = true;

    private int SleepBefore(long now)
    {
        long sleep = _longestSleep;
        for (int i = 0; i < _count; i++)
        {
            long until = _due[i] - now;
            if (until < sleep)
            {
                sleep = until;
            }
        }

        return sleep < 0 ? 0 : (int)sleep;
    }

    private int CheckIndex(int index)
    {
        if (index < 0 || index >= _count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "No job " + index + ": the loop holds " + _count + ".");
        }

        return index;
    }
}
