using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Meters;

/// <summary>
/// The water meter of an apartment building, as <c>hardware/profiles/generic-water-meter.yaml</c> names its points:
/// the flow follows a daily demand curve (a trickle at night, morning and evening peaks) with a wandering deviation,
/// the forward volume integrates it and so only grows, the reverse volume stays where it is, the water is at mains
/// temperature, the battery lasts for years and no alarm flag is set.
/// </summary>
public sealed class WaterMeterModel : SteppedDeviceModel
{
    private readonly double _reverseVolume;
    private double _forwardVolume;
    private double _demandDeviation;
    private double _temperature;
    private double _batteryDays;

    public WaterMeterModel(TimeProvider timeProvider, Random random)
        : base(timeProvider, random)
    {
        _forwardVolume = 500 + (20_000 * Random.NextDouble());
        _reverseVolume = Math.Round(0.05 * Random.NextDouble(), 3);
        _temperature = 12 + Gaussian();
        _batteryDays = Math.Round(2_000 + (1_500 * Random.NextDouble()));
        Step(Clock.GetUtcNow(), TimeSpan.Zero);
    }

    /// <summary>The points this model produces, named as in the generic water meter profile.</summary>
    public static IReadOnlyList<string> PointNames { get; } =
        ["volume_forward", "volume_reverse", "flow_rate", "water_temperature", "battery_low", "empty_pipe", "reverse_flow", "leak_suspected", "battery_days_left"];

    protected override void Step(DateTimeOffset at, TimeSpan step)
    {
        var hour = LocalHour(at);
        if (step > TimeSpan.Zero)
        {
            _demandDeviation = Wander(_demandDeviation, 0, 0.2, TimeSpan.FromMinutes(15), step, 0.6);
            _temperature = Wander(_temperature, 12, 1, TimeSpan.FromDays(2), step, 4);
            _batteryDays = Math.Max(0, _batteryDays - step.TotalDays);
        }

        // m³/h for some forty flats: 0.1 at night, about 1.5 at 07:00 and 2 at 19:30.
        var flow = Math.Max(0, (0.1 + (1.4 * Bump(hour, 7, 1.2)) + (0.5 * Bump(hour, 12.5, 1.5)) + (1.9 * Bump(hour, 19.5, 1.8))) * (1 + _demandDeviation));
        _forwardVolume += flow * step.TotalHours;

        Set("volume_forward", _forwardVolume);
        Set("volume_reverse", _reverseVolume);
        Set("flow_rate", flow);
        Set("water_temperature", _temperature);
        Set("battery_low", _batteryDays < 180 ? 1 : 0);
        Set("empty_pipe", 0);
        Set("reverse_flow", 0);
        Set("leak_suspected", 0);
        Set("battery_days_left", Math.Floor(_batteryDays));
    }
}
