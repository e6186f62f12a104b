using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// Counts a meter's pulses on one input into a total that resumes from the gateway database, and turns it into
/// readings: the total in m³ (a billing register) and the flow rate in m³/h (routine telemetry). A pulse counts when
/// its active level has held for the minimum pulse width (and the pause before the next one as long); the volume per
/// pulse is kept in whole millilitres so that totals add up exactly.
/// </summary>
public sealed class PulseCounter : IDisposable
{
    private const double MillilitresPerCubicMetre = 1_000_000;

    private readonly Lock _gate = new();
    private readonly long _millilitresPerPulse;
    private readonly FlowEstimator _flow;
    private readonly DebouncedInput _input;
    private readonly Action<PulseCounter> _counted;
    private long _pulses;
    private long _millilitres;
    private PulseTotal _committed;

    /// <param name="options">The counter's configuration, validated.</param>
    /// <param name="resumed">The persisted total to count on from, or null for a new counter.</param>
    /// <param name="controller">The pins.</param>
    /// <param name="pull">The input mode that requests the configured pull resistor, or plain input if the driver has none.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where input failures go.</param>
    /// <param name="counted">Called after each pulse is counted, on the driver's or the filter's thread; must not block.</param>
    public PulseCounter(
        PulseCounterOptions options,
        PulseTotal? resumed,
        GpioController controller,
        PinMode pull,
        TimeProvider timeProvider,
        ILogger logger,
        Action<PulseCounter> counted)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Key = KeyOf(options);
        _millilitresPerPulse = (long)Math.Round(options.LitresPerPulse * 1000);
        _committed = resumed ?? new PulseTotal(Key, 0, 0, DateTimeOffset.MinValue);
        _pulses = _committed.Pulses;
        _millilitres = _committed.Millilitres;
        _flow = new FlowEstimator(options.LitresPerPulse, options.NoFlowAfter);
        _counted = counted ?? throw new ArgumentNullException(nameof(counted));
        _input = new DebouncedInput(controller, options.Pin!.Value, pull, options.ActiveLow, options.MinPulseWidth, timeProvider, logger, OnLevel);
    }

    public PulseCounterOptions Options { get; }

    /// <summary>Where the total is persisted: <c>{DeviceId}/{TotalPoint}</c>.</summary>
    public string Key { get; }

    /// <summary>The input, with its edge and rejected-burst counts.</summary>
    public DebouncedInput Input => _input;

    /// <summary>Pulses counted, committed or not, including those counted before the last restart.</summary>
    public long Pulses
    {
        get
        {
            lock (_gate)
                return _pulses;
        }
    }

    /// <summary>The last total committed to the database; readings report this, never more.</summary>
    public PulseTotal Committed
    {
        get
        {
            lock (_gate)
                return _committed;
        }
    }

    /// <summary>The persistence key of a counter's total.</summary>
    public static string KeyOf(PulseCounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.DeviceId}/{options.TotalPoint}";
    }

    /// <summary>Opens the input and starts counting.</summary>
    public void Start() => _input.Open();

    /// <summary>The total to commit, or null when nothing was counted since the last commit.</summary>
    public PulseTotal? Uncommitted(DateTimeOffset now)
    {
        lock (_gate)
            return _pulses == _committed.Pulses ? null : new PulseTotal(Key, _pulses, _millilitres, now);
    }

    /// <summary>Notes that <paramref name="total"/> is durable.</summary>
    public void MarkCommitted(PulseTotal total)
    {
        ArgumentNullException.ThrowIfNull(total);
        lock (_gate)
        {
            if (total.Pulses > _committed.Pulses)
                _committed = total;
        }
    }

    /// <summary>
    /// The total volume as a billing reading, from the committed total only: a reported total is durable, so after a
    /// power cut the next reading is never below one already reported.
    /// </summary>
    public DeviceReading TotalReading(DateTimeOffset now)
    {
        var committed = Committed;
        var total = Options.StartTotal + committed.Millilitres / MillilitresPerCubicMetre;
        return new DeviceReading(Options.DeviceId, null, now, [new PointValue(Options.TotalPoint, total, "m3", "volume", Quality.Good)])
        {
            Stream = Streams.Billing,
        };
    }

    /// <summary>The flow rate since the last flow reading, as routine telemetry.</summary>
    public DeviceReading FlowReading(DateTimeOffset now) =>
        new(Options.DeviceId, null, now, [new PointValue(Options.FlowPoint, _flow.Estimate(now), "m3/h", "volume_flow", Quality.Good)]);

    public void Dispose() => _input.Dispose();

    private void OnLevel(bool active, DateTimeOffset at)
    {
        if (!active)
            return;
        lock (_gate)
        {
            _pulses++;
            _millilitres += _millilitresPerPulse;
        }

        _flow.Pulse(at);
        _counted(this);
    }
}
