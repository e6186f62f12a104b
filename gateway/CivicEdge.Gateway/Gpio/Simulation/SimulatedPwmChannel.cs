using System.Device.Pwm;

namespace CivicEdge.Gateway.Gpio.Simulation;

/// <summary>
/// A PWM channel in memory, for tests, simulators and the demo: it keeps the frequency, duty cycle and running state
/// the gateway sets, and every duty cycle it was given, for a script to check.
/// </summary>
/// <param name="chip">The PWM chip it stands for.</param>
/// <param name="channel">The channel on the chip.</param>
/// <param name="frequency">The initial frequency in hertz.</param>
/// <param name="dutyCycle">The initial duty cycle, 0..1.</param>
public sealed class SimulatedPwmChannel(int chip, int channel, int frequency, double dutyCycle) : PwmChannel
{
    private readonly Lock _gate = new();
    private readonly List<double> _dutyCycles = [CheckDuty(dutyCycle)];
    private int _frequency = CheckFrequency(frequency);
    private bool _disposed;

    public int Chip { get; } = chip;

    public int Channel { get; } = channel;

    public override int Frequency
    {
        get
        {
            lock (_gate)
                return _frequency;
        }
        set
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _frequency = CheckFrequency(value);
            }
        }
    }

    /// <summary>The fraction of each period the output is high, 0..1, as <see cref="PwmChannel"/> defines it.</summary>
    public override double DutyCycle
    {
        get
        {
            lock (_gate)
                return _dutyCycles[^1];
        }
        set
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _dutyCycles.Add(CheckDuty(value));
            }
        }
    }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/> (or disposal).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>True once the gateway has released the channel.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate)
                return _disposed;
        }
    }

    /// <summary>Every duty cycle set, oldest first, starting with the one the channel was opened with.</summary>
    public IReadOnlyList<double> DutyCycles
    {
        get
        {
            lock (_gate)
                return [.. _dutyCycles];
        }
    }

    public override void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            IsRunning = true;
        }
    }

    public override void Stop()
    {
        lock (_gate)
            IsRunning = false;
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _disposed = true;
            IsRunning = false;
        }

        base.Dispose(disposing);
    }

    private static double CheckDuty(double value) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A duty cycle is 0..1.");

    private static int CheckFrequency(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A PWM frequency is positive.");
}
