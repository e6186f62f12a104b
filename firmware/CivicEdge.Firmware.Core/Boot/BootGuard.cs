using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;

namespace CivicEdge.Firmware.Core.Boot;

/// <summary>
/// Counts, in storage that survives resets, the boots in a row that never became healthy, and starts the device in
/// safe mode once <c>safeModeAfter</c> of them have failed: a firmware or configuration that crashes, hangs into the
/// watchdog or browns the supply out at every start stops trying to run its logic and holds its outputs fail-safe,
/// while still answering for diagnosis and update. A boot becomes healthy when the application has reported itself
/// healthy and the device has been up for the healthy period; that resets the count, so the next boot runs normally.
/// Add the guard to the main loop as a job, so that a hung loop never confirms.
/// </summary>
/// <remarks>
/// A boot that ended by a power loss (the next start reports <see cref="ResetCause.PowerOn"/>) or by a deliberate
/// deep sleep is not the firmware's failure and is not counted; a watchdog, brown-out, software or unexplained reset
/// before confirmation is. The counts live in a <see cref="CounterJournal"/> named <c>boot</c>.
/// </remarks>
public sealed class BootGuard : IScheduledJob
{
    /// <summary>Failed boots in a row after which the device starts in safe mode, unless configured otherwise.</summary>
    public const int DefaultSafeModeAfter = 3;

    private const int Unconfirmed = 0;
    private const int TotalBoots = 1;
    private const int SafeModeBoots = 2;

    private readonly CounterJournal _journal;
    private readonly IPowerControl _power;
    private readonly IClock _clock;
    private readonly int _safeModeAfter;
    private readonly int _healthyAfter;
    private IFailSafe _failSafe;
    private bool _begun;
    private bool _reportedHealthy;

    /// <param name="storage">Where the boot counts live.</param>
    /// <param name="power">Tells why the device started.</param>
    /// <param name="clock">Uptime for the healthy period.</param>
    /// <param name="safeModeAfter">Failed boots in a row that put the next one in safe mode, at least 1.</param>
    /// <param name="healthyAfterMilliseconds">Uptime a boot needs before it can be confirmed healthy; 0 confirms at the first health report (a node that sleeps soon after waking).</param>
    public BootGuard(ISettingsStorage storage, IPowerControl power, IClock clock, int safeModeAfter, int healthyAfterMilliseconds)
    {
        if (power == null)
        {
            throw new ArgumentNullException(nameof(power));
        }

        if (clock == null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        if (safeModeAfter < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(safeModeAfter), "safeModeAfter must be at least 1 failed boot; found " + safeModeAfter + ".");
        }

        if (healthyAfterMilliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(healthyAfterMilliseconds), "healthyAfterMilliseconds must be 0 or more; found " + healthyAfterMilliseconds + ".");
        }

        _journal = new CounterJournal(storage, "boot", 3, 4);
        _power = power;
        _clock = clock;
        _safeModeAfter = safeModeAfter;
        _healthyAfter = healthyAfterMilliseconds;
    }

    /// <summary>Whether this boot runs in safe mode.</summary>
    public bool IsSafeMode { get; private set; }

    /// <summary>Boots in a row before this one that did not become healthy.</summary>
    public int FailedBoots { get; private set; }

    /// <summary>Boots since the storage was new, this one included.</summary>
    public long BootCount => _journal.Get(TotalBoots);

    /// <summary>Boots that started in safe mode since the storage was new.</summary>
    public long SafeModeBootCount => _journal.Get(SafeModeBoots);

    /// <summary>Why the device started this time.</summary>
    public ResetCause LastResetCause { get; private set; }

    /// <summary>Whether this boot has been confirmed healthy.</summary>
    public bool IsConfirmed { get; private set; }

    /// <summary>
    /// Called first thing at boot: counts this boot, decides whether it runs in safe mode and, if so, tells
    /// <paramref name="failSafe"/> to hold its outputs. Returns <see cref="IsSafeMode"/>.
    /// </summary>
    public bool Begin(IFailSafe failSafe)
    {
        if (failSafe == null)
        {
            throw new ArgumentNullException(nameof(failSafe));
        }

        if (_begun)
        {
            throw new InvalidOperationException("The boot guard has already begun this boot.");
        }

        _begun = true;
        _failSafe = failSafe;
        _journal.Load();
        LastResetCause = _power.LastResetCause;
        long unconfirmed = _journal.Get(Unconfirmed);
        if (unconfirmed > 0 && (LastResetCause == ResetCause.PowerOn || LastResetCause == ResetCause.DeepSleepWake))
        {
            unconfirmed--;
        }

        FailedBoots = (int)unconfirmed;
        IsSafeMode = unconfirmed >= _safeModeAfter;
        _journal.Set(Unconfirmed, unconfirmed + 1);
        _journal.Add(TotalBoots, 1);
        if (IsSafeMode)
        {
            _journal.Add(SafeModeBoots, 1);
        }

        _journal.Commit();
        if (IsSafeMode)
        {
            failSafe.HoldFailSafe();
        }

        return IsSafeMode;
    }

    /// <summary>
    /// The application's own checks pass (it reads its sensors, reached the broker or its master). The boot is
    /// confirmed at the guard's next run once the healthy period has passed.
    /// </summary>
    public void ReportHealthy() => _reportedHealthy = true;

    /// <summary>Confirms the boot when it is due, and in safe mode holds the outputs fail-safe again.</summary>
    public void Run(long uptimeMilliseconds)
    {
        if (!_begun)
        {
            throw new InvalidOperationException("The boot guard runs only after Begin at boot.");
        }

        if (IsSafeMode)
        {
            _failSafe.HoldFailSafe();
        }

        if (!IsConfirmed && _reportedHealthy && uptimeMilliseconds >= _healthyAfter)
        {
            _journal.Set(Unconfirmed, 0);
            _journal.Commit();
            IsConfirmed = true;
        }
    }

    /// <summary>A line for the health report, e.g. "safe mode: 3 boots in a row did not become healthy; last reset: watchdog".</summary>
    public string Describe()
    {
        string reset = "; last reset: " + ResetCauseName(LastResetCause);
        if (IsSafeMode)
        {
            return "safe mode: " + FailedBoots + " boots in a row did not become healthy" + reset;
        }

        return (IsConfirmed ? "healthy" : "starting") + reset;
    }

    /// <summary>The reset cause as a word (nanoFramework's enums do not format by name).</summary>
    public static string ResetCauseName(ResetCause cause)
    {
        switch (cause)
        {
            case ResetCause.PowerOn: return "power-on";
            case ResetCause.Software: return "software";
            case ResetCause.Watchdog: return "watchdog";
            case ResetCause.BrownOut: return "brown-out";
            case ResetCause.DeepSleepWake: return "deep-sleep wake";
            default: return "unknown";
        }
    }
}
