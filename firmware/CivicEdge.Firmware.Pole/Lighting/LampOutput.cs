using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Lighting;

/// <summary>
/// The lamp's supply relay and its 0–10 V dimming input (a PWM output filtered and amplified so that duty 1.0 is 10 V).
/// IEC 60929 Annex E: 1 V gives the driver's minimum light output, 10 V full output, linear between; the relay, not the
/// control voltage, switches the lamp off. Levels ramp (soft start, soft off, soft dimming), and the relay does not
/// close again until it has been open <see cref="PoleSettings.MinimumOffSeconds"/>, counted from boot too.
/// </summary>
public sealed class LampOutput
{
    private readonly IDigitalOutput _relay;
    private readonly IPwmOutput _dimming;
    private readonly PoleSettings _settings;
    private long _relayOpenedAt;
    private long _relayClosedAt;
    private long _lastUpdate;
    private double _level;
    private int _target;

    public LampOutput(IDigitalOutput relay, IPwmOutput dimming, PoleSettings settings, long uptimeMilliseconds)
    {
        _relay = relay;
        _dimming = dimming;
        _settings = settings;
        _relay.Write(false);
        _dimming.DutyCycle = 0;
        _relayOpenedAt = uptimeMilliseconds;
        _lastUpdate = uptimeMilliseconds;
    }

    /// <summary>Whether the relay is commanded closed.</summary>
    public bool RelayOn => _relay.State;

    /// <summary>The light level being output now, percent of full (0 with the relay open).</summary>
    public double Level => _level;

    /// <summary>The level asked for: 0 is off, else between the minimum level and 100.</summary>
    public int Target => _target;

    /// <summary>Uptime at which the relay last closed.</summary>
    public long RelayClosedAt => _relayClosedAt;

    /// <summary>Uptime at which the relay last opened (boot counts as an opening).</summary>
    public long RelayOpenedAt => _relayOpenedAt;

    /// <summary>True while the lamp should be on but waits out the minimum off time.</summary>
    public bool WaitingToRestrike { get; private set; }

    /// <summary>Asks for <paramref name="levelPercent"/> (0 = off; 1..minimum is raised to the minimum); applied by <see cref="Update"/>.</summary>
    public void Request(int levelPercent)
    {
        if (levelPercent <= 0)
        {
            _target = 0;
            return;
        }

        var level = levelPercent > 100 ? 100 : levelPercent;
        _target = level < _settings.MinimumLevelPercent ? _settings.MinimumLevelPercent : level;
    }

    /// <summary>Moves the relay and the ramp on to <paramref name="uptimeMilliseconds"/>, never above <paramref name="ceilingPercent"/>.</summary>
    public void Update(long uptimeMilliseconds, int ceilingPercent)
    {
        var elapsed = uptimeMilliseconds - _lastUpdate;
        _lastUpdate = uptimeMilliseconds;
        double minimum = _settings.MinimumLevelPercent;
        var step = _settings.RampSeconds == 0 ? 100.0 : elapsed * (100.0 - minimum) / (_settings.RampSeconds * 1000.0);
        WaitingToRestrike = false;

        if (_target > 0)
        {
            if (!_relay.State)
            {
                if (uptimeMilliseconds - _relayOpenedAt < _settings.MinimumOffSeconds * 1000L)
                {
                    WaitingToRestrike = true;
                    WriteDimming();
                    return;
                }

                // Soft start: the driver starts at its minimum and ramps up.
                _relay.Write(true);
                _relayClosedAt = uptimeMilliseconds;
                _level = minimum;
                step = 0;
            }

            var goal = _target < ceilingPercent ? _target : (ceilingPercent < minimum ? minimum : ceilingPercent);
            _level = Approach(_level, goal, step);
        }
        else if (_relay.State)
        {
            // Soft off: ramp down to the minimum, then open the relay.
            _level = Approach(_level, minimum, step);
            if (_level <= minimum)
            {
                _relay.Write(false);
                _relayOpenedAt = uptimeMilliseconds;
                _level = 0;
            }
        }

        WriteDimming();
    }

    /// <summary>The 0–10 V control voltage for a light level (IEC 60929 Annex E: 1 V at the minimum, 10 V at full).</summary>
    public double ControlVoltage(double levelPercent)
    {
        double minimum = _settings.MinimumLevelPercent;
        if (levelPercent <= minimum)
        {
            return 1.0;
        }

        return 1.0 + (9.0 * (levelPercent - minimum) / (100.0 - minimum));
    }

    private void WriteDimming()
    {
        _dimming.DutyCycle = _relay.State ? ControlVoltage(_level) / 10.0 : 0;
    }

    private static double Approach(double value, double goal, double step)
    {
        if (value < goal)
        {
            return value + step >= goal ? goal : value + step;
        }

        return value - step <= goal ? goal : value - step;
    }
}
