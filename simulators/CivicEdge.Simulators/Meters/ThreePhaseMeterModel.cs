using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Meters;

/// <summary>
/// A three-phase energy meter on a 230/400 V, 50 Hz low-voltage supply that moves the way a real one does: phase
/// voltages wander slowly within ±2 % of nominal, the frequency stays within a few hundredths of a hertz of 50 Hz,
/// the phase currents follow a daily load curve (night base load, morning and evening peaks), power factors sit
/// between 0.85 and 0.99, active power is V × I × PF per phase and the import energy register integrates the total
/// power over time, so it only ever grows.
/// </summary>
/// <remarks>
/// Everything random comes from the injected <see cref="Random"/> and all time from the injected
/// <see cref="TimeProvider"/> (the hour of the load curve is local time in its <see cref="TimeProvider.LocalTimeZone"/>),
/// so a seeded model driven by a fake clock repeats exactly. The slow wander of voltage, frequency, power factor and
/// load is an Ornstein–Uhlenbeck process, stepped exactly so that its spread does not depend on how often
/// <see cref="Update"/> is called. Pinned points report their pinned value instead of the model's.
/// Point names follow <c>hardware/profiles/eastron-sdm630.yaml</c>; see <see cref="PointNames"/>.
/// </remarks>
public sealed class ThreePhaseMeterModel : IPinnableDeviceModel
{
    // IEC 60038 nominal low-voltage supply: 230 V phase to neutral, 50 Hz.
    private const double NominalVoltage = 230.0;
    private const double NominalFrequency = 50.0;

    // Drift and noise limits keep every voltage sample within ±2 % of nominal (EN 50160 allows ±10 %; a healthy
    // feeder stays much closer) and the frequency within ±0.05 Hz.
    private const double VoltageDriftSpread = 0.008;
    private const double VoltageDriftLimit = 0.018;
    private const double VoltageNoise = 0.002;
    private const double FrequencyDriftSpread = 0.015;
    private const double FrequencyDriftLimit = 0.045;
    private const double FrequencyNoise = 0.004;

    private const double PowerFactorCentre = 0.93;
    private const double PowerFactorSpread = 0.025;
    private const double PowerFactorLowest = 0.86;
    private const double PowerFactorHighest = 0.98;
    private const double PowerFactorNoise = 0.004;

    /// <summary>Phase current at a load fraction of 1; the evening peak of the curve reaches about 0.75 of it.</summary>
    private const double FullLoadCurrent = 40.0;
    private const double LoadDeviationSpread = 0.04;
    private const double LoadDeviationLimit = 0.12;
    private const double CurrentNoise = 0.015;

    private static readonly TimeSpan VoltageDriftTime = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan FrequencyDriftTime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PowerFactorDriftTime = TimeSpan.FromHours(1);
    private static readonly TimeSpan LoadDeviationTime = TimeSpan.FromMinutes(10);

    /// <summary>Energy is integrated in steps no longer than this, so a long gap between updates still follows the load curve.</summary>
    private static readonly TimeSpan LongestStep = TimeSpan.FromSeconds(10);

    /// <summary>Caps the work of one update after a very long gap (about 11 days at <see cref="LongestStep"/>).</summary>
    private const int MostStepsPerUpdate = 100_000;

    private static readonly string[] VoltageNames = ["voltage_l1", "voltage_l2", "voltage_l3"];
    private static readonly string[] CurrentNames = ["current_l1", "current_l2", "current_l3"];
    private static readonly string[] PowerNames = ["active_power_l1", "active_power_l2", "active_power_l3"];
    private static readonly string[] PowerFactorNames = ["power_factor_l1", "power_factor_l2", "power_factor_l3"];
    private const string TotalPower = "total_active_power";
    private const string Frequency = "frequency";
    private const string ImportEnergy = "import_active_energy";
    private const string ExportEnergy = "export_active_energy";
    private const string TotalEnergy = "total_active_energy";

    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _pins = new(StringComparer.Ordinal);
    private readonly double[] _phaseShare = new double[3];
    private readonly double[] _voltageDrift = new double[3];
    private readonly double[] _powerFactorLevel = new double[3];
    private readonly double[] _loadDeviation = new double[3];
    private readonly double _exportEnergy;
    private double _frequencyDrift;
    private double _importEnergy;
    private DateTimeOffset _now;

    public ThreePhaseMeterModel(TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        _timeProvider = timeProvider;
        _random = random;

        // A meter that has been in service for a while: some energy on the clock, phases loaded unevenly, and the
        // slow states drawn from their long-run spread. A consumer without generation exports next to nothing, so
        // the export register holds a small constant.
        _importEnergy = 1_000 + (19_000 * random.NextDouble());
        _exportEnergy = Math.Round(25 * random.NextDouble(), 1);
        for (var phase = 0; phase < 3; phase++)
        {
            _phaseShare[phase] = 0.85 + (0.3 * random.NextDouble());
            _voltageDrift[phase] = Math.Clamp(VoltageDriftSpread * Gaussian(), -VoltageDriftLimit, VoltageDriftLimit);
            _powerFactorLevel[phase] = Math.Clamp(PowerFactorCentre + (PowerFactorSpread * Gaussian()), PowerFactorLowest, PowerFactorHighest);
            _loadDeviation[phase] = Math.Clamp(LoadDeviationSpread * Gaussian(), -LoadDeviationLimit, LoadDeviationLimit);
        }
        _frequencyDrift = Math.Clamp(FrequencyDriftSpread * Gaussian(), -FrequencyDriftLimit, FrequencyDriftLimit);

        _now = timeProvider.GetUtcNow();
        Sample(_now);
    }

    /// <summary>The points this model produces.</summary>
    public static IReadOnlyList<string> PointNames { get; } =
        [.. VoltageNames, .. CurrentNames, .. PowerNames, .. PowerFactorNames, TotalPower, Frequency, ImportEnergy, ExportEnergy, TotalEnergy];

    /// <inheritdoc />
    public void Update()
    {
        lock (_gate)
        {
            var target = _timeProvider.GetUtcNow();
            var elapsed = target - _now;
            if (elapsed <= TimeSpan.Zero)
                return;

            var steps = (int)Math.Clamp(Math.Ceiling(elapsed / LongestStep), 1, MostStepsPerUpdate);
            var step = elapsed / steps;
            for (var i = 1; i <= steps; i++)
            {
                var at = i == steps ? target : _now + (step * i);
                Wander(step);
                var totalPower = Sample(at);
                // Power in W over the step in hours gives Wh; the register counts kWh. Only consumption is modelled,
                // so the total power is never negative and the import register never decreases.
                _importEnergy += totalPower * step.TotalHours / 1000.0;
            }
            _now = target;
            _values[ImportEnergy] = _importEnergy;
            _values[TotalEnergy] = _importEnergy + _exportEnergy;
        }
    }

    /// <inheritdoc />
    public bool TryGetValue(string point, out double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
            return _pins.TryGetValue(point, out value) || _values.TryGetValue(point, out value);
    }

    /// <summary>
    /// Makes <paramref name="point"/> report <paramref name="value"/> from now on, whatever the model says. Only that
    /// point changes: pinning a voltage does not change the power computed from the model's own voltage. Any name
    /// can be pinned, so a profile point the model does not produce can be given a value too.
    /// </summary>
    public void Pin(string point, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(point);
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A pinned value of '{point}' must be a finite number.");
        lock (_gate)
            _pins[point] = value;
    }

    /// <summary>Lets <paramref name="point"/> follow the model again; false when it was not pinned.</summary>
    public bool Unpin(string point)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
            return _pins.Remove(point);
    }

    /// <summary>Moves every slow state on by <paramref name="step"/>.</summary>
    private void Wander(TimeSpan step)
    {
        for (var phase = 0; phase < 3; phase++)
        {
            _voltageDrift[phase] = OrnsteinUhlenbeck(_voltageDrift[phase], 0, VoltageDriftSpread, VoltageDriftTime, step, VoltageDriftLimit);
            _powerFactorLevel[phase] = Math.Clamp(
                OrnsteinUhlenbeck(_powerFactorLevel[phase], PowerFactorCentre, PowerFactorSpread, PowerFactorDriftTime, step, double.PositiveInfinity),
                PowerFactorLowest, PowerFactorHighest);
            _loadDeviation[phase] = OrnsteinUhlenbeck(_loadDeviation[phase], 0, LoadDeviationSpread, LoadDeviationTime, step, LoadDeviationLimit);
        }
        _frequencyDrift = OrnsteinUhlenbeck(_frequencyDrift, 0, FrequencyDriftSpread, FrequencyDriftTime, step, FrequencyDriftLimit);
    }

    /// <summary>Computes the instantaneous values at <paramref name="at"/>; returns the total active power in W.</summary>
    private double Sample(DateTimeOffset at)
    {
        var hour = TimeZoneInfo.ConvertTime(at, _timeProvider.LocalTimeZone).TimeOfDay.TotalHours;
        var load = LoadFraction(hour);
        var totalPower = 0.0;
        for (var phase = 0; phase < 3; phase++)
        {
            var voltage = NominalVoltage * (1 + _voltageDrift[phase] + Noise(VoltageNoise));
            var current = Math.Max(0, FullLoadCurrent * load * _phaseShare[phase] * (1 + _loadDeviation[phase]) * (1 + Noise(CurrentNoise)));
            var powerFactor = Math.Clamp(_powerFactorLevel[phase] + Noise(PowerFactorNoise), 0.85, 0.99);
            var power = voltage * current * powerFactor;
            _values[VoltageNames[phase]] = voltage;
            _values[CurrentNames[phase]] = current;
            _values[PowerFactorNames[phase]] = powerFactor;
            _values[PowerNames[phase]] = power;
            totalPower += power;
        }
        _values[TotalPower] = totalPower;
        _values[Frequency] = NominalFrequency + _frequencyDrift + Noise(FrequencyNoise);
        _values[ImportEnergy] = _importEnergy;
        _values[ExportEnergy] = _exportEnergy;
        _values[TotalEnergy] = _importEnergy + _exportEnergy;
        return totalPower;
    }

    /// <summary>
    /// The share of full-load current drawn at a local hour of day: a night base load, a morning peak, a midday
    /// plateau and the evening peak, the shape of a typical mixed residential and commercial feeder.
    /// </summary>
    private static double LoadFraction(double hour) =>
        0.15 + (0.30 * Bump(hour, 7.5, 1.5)) + (0.20 * Bump(hour, 13, 2.5)) + (0.55 * Bump(hour, 19.5, 2));

    private static double Bump(double hour, double centre, double width)
    {
        var distance = Math.Abs(hour - centre);
        distance = Math.Min(distance, 24 - distance);
        return Math.Exp(-(distance * distance) / (2 * width * width));
    }

    /// <summary>One exact step of an Ornstein–Uhlenbeck process with long-run mean and spread, clamped to ±limit around the mean.</summary>
    private double OrnsteinUhlenbeck(double value, double mean, double spread, TimeSpan relaxation, TimeSpan step, double limit)
    {
        var decay = Math.Exp(-step / relaxation);
        var next = mean + ((value - mean) * decay) + (spread * Math.Sqrt(1 - (decay * decay)) * Gaussian());
        return Math.Clamp(next, mean - limit, mean + limit);
    }

    /// <summary>Uniform noise in ±<paramref name="amplitude"/>.</summary>
    private double Noise(double amplitude) => amplitude * ((2 * _random.NextDouble()) - 1);

    /// <summary>A standard normal sample (Box–Muller).</summary>
    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
