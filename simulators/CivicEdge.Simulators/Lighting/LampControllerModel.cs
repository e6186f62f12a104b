using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Lighting;

/// <summary>
/// A single-lamp controller with a 120 W LED luminaire, as <c>hardware/profiles/civicedge-slc1.yaml</c> describes it:
/// the relay and the dimming level are what a master last wrote (on and 80 % at power-up, under gateway command); while
/// lit the luminaire draws from 10 % of its rated power at the lowest dimming level up to all of it, with a power
/// factor that drops as it is dimmed; the supply voltage wanders near 230 V; the lamp current is P ÷ (V × PF); energy
/// and burning hours count up while the lamp is lit; the driver runs warmer the more power it delivers. Status flags:
/// the lamp is on while the relay is and the dimming level is above 0. A lamp failure can be scripted
/// (<see cref="FailBetween"/>): the relay stays on but the luminaire draws nothing and the status word says failed — a dead
/// LED driver or a cut cable.
/// </summary>
public sealed class LampControllerModel : SteppedDeviceModel, IControlledDeviceModel
{
    private const double RatedPower = 120;
    private const double LowestOutput = 0.1;
    private const double NominalVoltage = 230;
    private const double Ambient = 20;
    private const double GatewayCommandMode = 3;

    private double _relay = 1;
    private double _dimming = 80;
    private double _voltageDrift;
    private double _energy;
    private double _burningHours;
    private DateTimeOffset _failsAt = DateTimeOffset.MaxValue;
    private DateTimeOffset _repairedAt = DateTimeOffset.MaxValue;

    public LampControllerModel(TimeProvider timeProvider, Random random)
        : base(timeProvider, random)
    {
        _energy = 100 + (1900 * Random.NextDouble());
        _burningHours = Math.Round(1_000 + (19_000 * Random.NextDouble()));
        _voltageDrift = 0.008 * Gaussian();
        Step(Clock.GetUtcNow(), TimeSpan.Zero);
    }

    /// <summary>The points this model produces, named as in the SLC-1 profile.</summary>
    public static IReadOnlyList<string> PointNames { get; } =
    [
        "lamp_relay", "dimming_level", "lamp_voltage", "lamp_current", "lamp_power", "lamp_energy", "lamp_on", "lamp_failure",
        "driver_overtemperature", "relay_fault", "control_mode", "burning_hours", "power_factor", "driver_temperature",
    ];

    /// <inheritdoc />
    public void Control(string point, double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point == "lamp_relay")
            _relay = value != 0 ? 1 : 0;
        else if (point == "dimming_level")
            _dimming = Math.Clamp(value, 0, 100);
    }

    /// <summary>The lamp fails at <paramref name="from"/> and is repaired at <paramref name="until"/> (or never, when null).</summary>
    public void FailBetween(DateTimeOffset from, DateTimeOffset? until)
    {
        if (until <= from)
            throw new ArgumentOutOfRangeException(nameof(until), until, $"Expected the repair after the failure at {from:O}.");
        _failsAt = from;
        _repairedAt = until ?? DateTimeOffset.MaxValue;
    }

    protected override void Step(DateTimeOffset at, TimeSpan step)
    {
        if (step > TimeSpan.Zero)
            _voltageDrift = Wander(_voltageDrift, 0, 0.008, TimeSpan.FromMinutes(20), step, 0.018);

        var failed = at >= _failsAt && at < _repairedAt;
        var lit = _relay != 0 && _dimming > 0 && !failed;
        var output = lit ? LowestOutput + ((1 - LowestOutput) * _dimming / 100) : 0;
        var voltage = NominalVoltage * (1 + _voltageDrift + Noise(0.002));
        var power = lit ? RatedPower * output * (1 + Noise(0.01)) : 0;
        var powerFactor = lit ? 0.97 - (0.12 * (1 - output)) + Noise(0.005) : 0;
        var current = lit ? power / (voltage * powerFactor) : 0;
        if (lit)
        {
            _energy += power * step.TotalHours / 1000;
            _burningHours += step.TotalHours;
        }
        var driverTemperature = Ambient + (35 * power / RatedPower) + Noise(0.3);

        Set("lamp_relay", _relay);
        Set("dimming_level", _dimming);
        Set("lamp_voltage", voltage);
        Set("lamp_current", current);
        Set("lamp_power", power);
        Set("lamp_energy", _energy);
        Set("lamp_on", lit ? 1 : 0);
        Set("lamp_failure", failed && _relay != 0 ? 1 : 0);
        Set("driver_overtemperature", driverTemperature > 90 ? 1 : 0);
        Set("relay_fault", 0);
        Set("control_mode", GatewayCommandMode);
        Set("burning_hours", Math.Floor(_burningHours));
        Set("power_factor", powerFactor);
        Set("driver_temperature", driverTemperature);
    }
}
