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
/// <see cref="SteppedDeviceModel.Update"/> is called. Pinned points report their pinned value instead of the model's.
/// Point names follow <c>hardware/profiles/eastron-sdm630.yaml</c>; see <see cref="PointNames"/>.
/// </remarks>
public sealed class ThreePhaseMeterModel : SteppedDeviceModel
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

    private static readonly string[] VoltageNames = ["voltage_l1", "voltage_l2", "voltage_l3"];
    private static readonly string[] CurrentNames = ["current_l1", "current_l2", "current_l3"];
    private static readonly string[] PowerNames = ["active_power_l1", "active_power_l2", "active_power_l3"];
    private static readonly string[] PowerFactorNames = ["power_factor_l1", "power_factor_l2", "power_factor_l3"];
    private const string TotalPower = "total_active_power";
    private const string Frequency = "frequency";
    private const string ImportEnergy = "import_active_energy";
    private const string ExportEnergy = "export_active_energy";
    private const string TotalEnergy = "total_active_energy";

    private readonly double[] _phaseShare = new double[3];
    private readonly double[] _voltageDrift = new double[3];
    private readonly double[] _powerFactorLevel = new double[3];
    private readonly double[] _loadDeviation = new double[3];
    private readonly double _exportEnergy;
    private double _frequencyDrift;
    private double _importEnergy;

    public ThreePhaseMeterModel(TimeProvider timeProvider, Random random)
        : base(timeProvider, random)
    {

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

        Sample(timeProvider.GetUtcNow());
    }

    /// <summary>The points this model produces.</summary>
    public static IReadOnlyList<string> PointNames { get; } =
        [.. VoltageNames, .. CurrentNames, .. PowerNames, .. PowerFactorNames, TotalPower, Frequency, ImportEnergy, ExportEnergy, TotalEnergy];

    /// <inheritdoc />
    protected override void Step(DateTimeOffset at, TimeSpan step)
    {
        Wander(step);
        var totalPower = Sample(at);
        // Power in W over the step in hours gives Wh; the register counts kWh. Only consumption is modelled, so the
        // total power is never negative and the import register never decreases.
        _importEnergy += totalPower * step.TotalHours / 1000.0;
        Set(ImportEnergy, _importEnergy);
        Set(TotalEnergy, _importEnergy + _exportEnergy);
    }

    /// <summary>Moves every slow state on by <paramref name="step"/>.</summary>
    private void Wander(TimeSpan step)
    {
        for (var phase = 0; phase < 3; phase++)
        {
            _voltageDrift[phase] = Wander(_voltageDrift[phase], 0, VoltageDriftSpread, VoltageDriftTime, step, VoltageDriftLimit);
            _powerFactorLevel[phase] = Math.Clamp(
                Wander(_powerFactorLevel[phase], PowerFactorCentre, PowerFactorSpread, PowerFactorDriftTime, step, double.PositiveInfinity),
                PowerFactorLowest, PowerFactorHighest);
            _loadDeviation[phase] = Wander(_loadDeviation[phase], 0, LoadDeviationSpread, LoadDeviationTime, step, LoadDeviationLimit);
        }
        _frequencyDrift = Wander(_frequencyDrift, 0, FrequencyDriftSpread, FrequencyDriftTime, step, FrequencyDriftLimit);
    }

    /// <summary>Computes the instantaneous values at <paramref name="at"/>; returns the total active power in W.</summary>
    private double Sample(DateTimeOffset at)
    {
        var hour = LocalHour(at);
        var load = LoadFraction(hour);
        var totalPower = 0.0;
        for (var phase = 0; phase < 3; phase++)
        {
            var voltage = NominalVoltage * (1 + _voltageDrift[phase] + Noise(VoltageNoise));
            var current = Math.Max(0, FullLoadCurrent * load * _phaseShare[phase] * (1 + _loadDeviation[phase]) * (1 + Noise(CurrentNoise)));
            var powerFactor = Math.Clamp(_powerFactorLevel[phase] + Noise(PowerFactorNoise), 0.85, 0.99);
            var power = voltage * current * powerFactor;
            Set(VoltageNames[phase], voltage);
            Set(CurrentNames[phase], current);
            Set(PowerFactorNames[phase], powerFactor);
            Set(PowerNames[phase], power);
            totalPower += power;
        }
        Set(TotalPower, totalPower);
        Set(Frequency, NominalFrequency + _frequencyDrift + Noise(FrequencyNoise));
        Set(ImportEnergy, _importEnergy);
        Set(ExportEnergy, _exportEnergy);
        Set(TotalEnergy, _importEnergy + _exportEnergy);
        return totalPower;
    }

    /// <summary>
    /// The share of full-load current drawn at a local hour of day: a night base load, a morning peak, a midday
    /// plateau and the evening peak, the shape of a typical mixed residential and commercial feeder.
    /// </summary>
    private static double LoadFraction(double hour) =>
        0.15 + (0.30 * Bump(hour, 7.5, 1.5)) + (0.20 * Bump(hour, 13, 2.5)) + (0.55 * Bump(hour, 19.5, 2));
}
