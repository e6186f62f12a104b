namespace CivicEdge.Firmware.Pole.Lighting;

/// <summary>
/// Decides who sets the lamp, in the precedence a street-lighting operator expects: manual (maintenance) over a
/// command, a command over the automatic sources, and among those the photocell when configured, else the
/// astronomical schedule while the time is known, else the photocell if the pole has one, else on (a dark street is
/// worse than a lamp burning by day). A command lasts a bounded time; then the automatic source takes over again.
/// </summary>
public sealed class LightingArbiter
{
    private bool _commandActive;
    private int _commandLevel;
    private long _commandUntil;

    /// <summary>The source that decided last.</summary>
    public ControlMode Mode { get; private set; } = ControlMode.Schedule;

    /// <summary>The level (percent, 0 = off) decided last.</summary>
    public int Level { get; private set; }

    /// <summary>Whether a command is in force at the last decision.</summary>
    public bool CommandActive => _commandActive;

    /// <summary>The level a command in force asks for.</summary>
    public int CommandLevel => _commandLevel;

    /// <summary>Overrides the automatic sources with <paramref name="levelPercent"/> (0 = off) for <paramref name="durationMilliseconds"/>.</summary>
    public void Command(int levelPercent, long uptimeMilliseconds, long durationMilliseconds)
    {
        _commandActive = true;
        _commandLevel = levelPercent;
        _commandUntil = uptimeMilliseconds + durationMilliseconds;
    }

    /// <summary>Ends a command before its time: the automatic source decides again.</summary>
    public void ReleaseCommand() => _commandActive = false;

    /// <summary>Decides mode and level from the inputs of this pass.</summary>
    /// <param name="uptimeMilliseconds">Now, for the command's expiry.</param>
    /// <param name="manualMode">Manual mode is set.</param>
    /// <param name="manualLevel">The level held in manual mode.</param>
    /// <param name="timeKnown">The schedule has a time to work with (synchronized or estimated since the last sync).</param>
    /// <param name="scheduleLevel">The schedule's level now: 0 by day, the dimming step's level by night.</param>
    /// <param name="dimmingLevel">The dimming step's level now, whether or not it is night (100 when the time is unknown).</param>
    /// <param name="hasPhotocell">The pole has a photocell.</param>
    /// <param name="photocellDark">The photocell (held) sees darkness.</param>
    /// <param name="usePhotocell">Switching by photocell is configured.</param>
    public void Decide(long uptimeMilliseconds, bool manualMode, int manualLevel, bool timeKnown, int scheduleLevel,
        int dimmingLevel, bool hasPhotocell, bool photocellDark, bool usePhotocell)
    {
        if (_commandActive && uptimeMilliseconds >= _commandUntil)
        {
            _commandActive = false;
        }

        if (manualMode)
        {
            Set(ControlMode.Manual, manualLevel);
        }
        else if (_commandActive)
        {
            Set(ControlMode.Command, _commandLevel);
        }
        else if (hasPhotocell && (usePhotocell || !timeKnown))
        {
            Set(ControlMode.Photocell, photocellDark ? (timeKnown ? dimmingLevel : 100) : 0);
        }
        else if (timeKnown)
        {
            Set(ControlMode.Schedule, scheduleLevel);
        }
        else
        {
            Set(ControlMode.Schedule, 100);
        }
    }

    private void Set(ControlMode mode, int level)
    {
        Mode = mode;
        Level = level;
    }
}
