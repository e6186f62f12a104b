using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Meters;

/// <summary>
/// The heat meter of a building on a district heating network in the heating season, as
/// <c>hardware/profiles/generic-heat-meter.yaml</c> names its points: supply near 70 °C and return near 45 °C, each
/// wandering; a flow that is higher in the cold morning and evening hours; heat power from flow and temperature
/// difference (1.163 kWh per m³ and kelvin, the heat capacity of water near 60 °C); energy, volume and operating hours
/// that integrate and so only grow; the energy total of the last due date fixed; no error flag set.
/// </summary>
public sealed class HeatMeterModel : SteppedDeviceModel
{
    /// <summary>kWh carried by one m³ of water per kelvin (ρ·c of water near 60 °C, EN 1434-1 coefficient tables).</summary>
    private const double HeatPerCubicMetreKelvin = 1.163;

    private readonly double _dueDateEnergy;
    private double _energy;
    private double _volume;
    private double _hours;
    private double _supply;
    private double _return;
    private double _flowDeviation;

    public HeatMeterModel(TimeProvider timeProvider, Random random)
        : base(timeProvider, random)
    {
        _energy = 20_000 + (200_000 * Random.NextDouble());
        _dueDateEnergy = Math.Floor(_energy * 0.8);
        _volume = _energy / 25;
        _hours = Math.Round(10_000 + (30_000 * Random.NextDouble()));
        _supply = 70 + (2 * Gaussian());
        _return = 45 + (2 * Gaussian());
        Step(Clock.GetUtcNow(), TimeSpan.Zero);
    }

    /// <summary>The points this model produces, named as in the generic heat meter profile.</summary>
    public static IReadOnlyList<string> PointNames { get; } =
    [
        "heat_energy", "volume", "heat_power", "flow_rate", "supply_temperature", "return_temperature", "temperature_difference",
        "sensor_fault", "flow_fault", "battery_low", "due_date_energy", "operating_hours",
    ];

    protected override void Step(DateTimeOffset at, TimeSpan step)
    {
        var hour = LocalHour(at);
        if (step > TimeSpan.Zero)
        {
            _supply = Wander(_supply, 70, 2, TimeSpan.FromHours(2), step, 8);
            _return = Wander(_return, 45, 2, TimeSpan.FromHours(2), step, 8);
            _flowDeviation = Wander(_flowDeviation, 0, 0.1, TimeSpan.FromMinutes(30), step, 0.3);
        }

        var flow = Math.Max(0, (0.8 + (0.4 * Bump(hour, 6.5, 1.5)) + (0.3 * Bump(hour, 19, 2))) * (1 + _flowDeviation) + Noise(0.01));
        var supply = _supply + Noise(0.05);
        var returning = Math.Min(_return + Noise(0.05), supply - 5);
        var difference = supply - returning;
        var power = flow * difference * HeatPerCubicMetreKelvin * 1000;
        _energy += power * step.TotalHours / 1000;
        _volume += flow * step.TotalHours;
        _hours += step.TotalHours;

        Set("heat_energy", _energy);
        Set("volume", _volume);
        Set("heat_power", power);
        Set("flow_rate", flow);
        Set("supply_temperature", supply);
        Set("return_temperature", returning);
        Set("temperature_difference", difference);
        Set("sensor_fault", 0);
        Set("flow_fault", 0);
        Set("battery_low", 0);
        Set("due_date_energy", _dueDateEnergy);
        Set("operating_hours", Math.Floor(_hours));
    }
}
