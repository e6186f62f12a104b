using System;
using System.Collections;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Scheduling;

namespace CivicEdge.Firmware.Environment;

/// <summary>
/// The environment station: reads its RS-485 transmitters as a Modbus master on a fixed schedule, keeps mean, minimum
/// and maximum of every quantity over the reporting window, marks a transmitter that stops answering, and serves the
/// last completed window to a gateway through <see cref="Registers"/>. <see cref="Poll"/> is one pass of the main loop.
/// </summary>
public sealed class EnvironmentStation : IScheduledJob
{
    /// <summary>Sensors a station can have: one status bit and one failure counter each.</summary>
    public const int MaxSensors = 8;

    /// <summary>How many quantities there are (the values of <see cref="Quantity"/>).</summary>
    public const int QuantityCount = 8;

    private readonly EnvironmentStationConfiguration _configuration;
    private readonly IClock _clock;
    private readonly IRegisterReader _bus;
    private readonly ArrayList _sensors = new ArrayList();
    private long _nextSampleMilliseconds;
    private long _windowEndMilliseconds;

    public EnvironmentStation(EnvironmentStationConfiguration configuration, IClock clock, IRegisterReader bus)
    {
        if (configuration.SampleIntervalMilliseconds < 100)
        {
            throw new ArgumentException("SampleIntervalMilliseconds: expected at least 100; found " + configuration.SampleIntervalMilliseconds.ToString() + ".");
        }

        if ((long)configuration.WindowSeconds * 1000 < configuration.SampleIntervalMilliseconds)
        {
            throw new ArgumentException("WindowSeconds: expected a window at least one sample interval long; found " + configuration.WindowSeconds.ToString() + " s.");
        }

        _configuration = configuration;
        _clock = clock;
        _bus = bus;
        Channels = new WindowStatistics[QuantityCount];
        for (int i = 0; i < QuantityCount; i++)
        {
            Channels[i] = new WindowStatistics((Quantity)i);
        }

        Registers = new EnvironmentRegisterMap(this);
    }

    /// <summary>One channel of statistics per quantity, indexed by <see cref="Quantity"/>.</summary>
    public WindowStatistics[] Channels { get; }

    /// <summary>The registers a gateway reads.</summary>
    public EnvironmentRegisterMap Registers { get; }

    /// <summary>Windows completed since start.</summary>
    public int WindowsCompleted { get; private set; }

    public int WindowSeconds => _configuration.WindowSeconds;

    public int SensorCount => _sensors.Count;

    public Sensor SensorAt(int index) => (Sensor)_sensors[index];

    /// <summary>Adds a transmitter on the bus; before <see cref="Start"/>.</summary>
    public Sensor AddSensor(SensorModel model, int unit)
    {
        if (_sensors.Count >= MaxSensors)
        {
            throw new ArgumentException("A station reads at most " + MaxSensors.ToString() + " sensors; found a ninth at unit " + unit.ToString() + ".");
        }

        if (unit < 1 || unit > 247)
        {
            throw new ArgumentException("Sensor unit: expected 1..247; found " + unit.ToString() + ".");
        }

        Sensor sensor = new Sensor(model, unit);
        _sensors.Add(sensor);
        return sensor;
    }

    /// <summary>Takes the first samples now; the first window closes one window length later.</summary>
    public void Start()
    {
        long now = _clock.UptimeMilliseconds;
        _nextSampleMilliseconds = now;
        _windowEndMilliseconds = now + ((long)_configuration.WindowSeconds * 1000);
        Poll();
    }

    /// <summary>The main loop's job: one <see cref="Poll"/>.</summary>
    public void Run(long uptimeMilliseconds) => Poll();

    /// <summary>One pass: samples every sensor when a sample is due, closes the window when it ends.</summary>
    public void Poll()
    {
        long now = _clock.UptimeMilliseconds;
        if (now >= _windowEndMilliseconds)
        {
            for (int i = 0; i < Channels.Length; i++)
            {
                Channels[i].Close();
            }

            WindowsCompleted++;
            _windowEndMilliseconds += (long)_configuration.WindowSeconds * 1000;
            Registers.Refresh();
        }

        if (now < _nextSampleMilliseconds)
        {
            return;
        }

        for (int i = 0; i < _sensors.Count; i++)
        {
            ((Sensor)_sensors[i]).Sample(_bus, Channels, _configuration.SilentAfterFailures);
        }

        // A pass delayed past a whole interval (a slow bus) skips the missed samples instead of bursting to catch up.
        do
        {
            _nextSampleMilliseconds += _configuration.SampleIntervalMilliseconds;
        }
        while (_nextSampleMilliseconds <= now);

        Registers.Refresh();
    }
}
