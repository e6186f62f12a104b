namespace CivicEdge.Simulators.Devices;

/// <summary>
/// A device model that moves on in steps of at most <see cref="LongestStep"/>, so that totals it integrates (energy,
/// volume, hours) follow the daily curves even when it is updated rarely. Everything random comes from the injected
/// <see cref="Random"/> and all time from the injected <see cref="TimeProvider"/>, so a seeded model driven by a fake
/// clock repeats exactly; pinned points report their pinned value instead of the model's.
/// </summary>
public abstract class SteppedDeviceModel : IPinnableDeviceModel
{
    /// <summary>Caps the work of one update after a very long gap.</summary>
    private const int MostStepsPerUpdate = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _pins = new(StringComparer.Ordinal);
    private DateTimeOffset _now;

    protected SteppedDeviceModel(TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        Clock = timeProvider;
        Random = random;
        _now = timeProvider.GetUtcNow();
    }

    /// <summary>The longest step the model takes at once.</summary>
    protected virtual TimeSpan LongestStep => TimeSpan.FromSeconds(10);

    protected TimeProvider Clock { get; }

    protected Random Random { get; }

    /// <inheritdoc />
    public void Update()
    {
        lock (_gate)
        {
            var target = Clock.GetUtcNow();
            var elapsed = target - _now;
            if (elapsed <= TimeSpan.Zero)
                return;
            var steps = (int)Math.Clamp(Math.Ceiling(elapsed / LongestStep), 1, MostStepsPerUpdate);
            var step = elapsed / steps;
            for (var i = 1; i <= steps; i++)
                Step(i == steps ? target : _now + (step * i), step);
            _now = target;
        }
    }

    /// <inheritdoc />
    public bool TryGetValue(string point, out double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
            return _pins.TryGetValue(point, out value) || _values.TryGetValue(point, out value);
    }

    /// <inheritdoc />
    public void Pin(string point, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(point);
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A pinned value of '{point}' must be a finite number.");
        lock (_gate)
            _pins[point] = value;
    }

    /// <inheritdoc />
    public bool Unpin(string point)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
            return _pins.Remove(point);
    }

    /// <summary>Moves the model on by <paramref name="step"/>, to <paramref name="at"/>, and sets the values there.</summary>
    /// <remarks>Called under the model's lock; a constructor calls it once with a zero step for the first values.</remarks>
    protected abstract void Step(DateTimeOffset at, TimeSpan step);

    /// <summary>Sets the present value of a point.</summary>
    protected void Set(string point, double value) => _values[point] = value;

    /// <summary>The time of day at <paramref name="at"/> in the clock's local time zone, in hours.</summary>
    protected double LocalHour(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Clock.LocalTimeZone).TimeOfDay.TotalHours;

    /// <summary>One exact step of an Ornstein–Uhlenbeck process with long-run mean and spread, clamped to ±limit around the mean.</summary>
    protected double Wander(double value, double mean, double spread, TimeSpan relaxation, TimeSpan step, double limit = double.PositiveInfinity)
    {
        var decay = Math.Exp(-step / relaxation);
        var next = mean + ((value - mean) * decay) + (spread * Math.Sqrt(1 - (decay * decay)) * Gaussian());
        return Math.Clamp(next, mean - limit, mean + limit);
    }

    /// <summary>Uniform noise in ±<paramref name="amplitude"/>.</summary>
    protected double Noise(double amplitude) => amplitude * ((2 * Random.NextDouble()) - 1);

    /// <summary>A standard normal sample (Box–Muller).</summary>
    protected double Gaussian()
    {
        var u1 = 1.0 - Random.NextDouble();
        var u2 = Random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A bell of height 1 at <paramref name="centre"/> o'clock, <paramref name="width"/> hours wide, wrapping round midnight.</summary>
    protected static double Bump(double hour, double centre, double width)
    {
        var distance = Math.Abs(hour - centre);
        distance = Math.Min(distance, 24 - distance);
        return Math.Exp(-(distance * distance) / (2 * width * width));
    }
}
