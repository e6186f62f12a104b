using System.Globalization;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Gpio</c> section at start-up; every message names the key, e.g. <c>Gpio:Doors:0:Pin</c>.</summary>
public sealed class GpioOptionsValidator : IValidateOptions<GpioOptions>
{
    /// <summary>The longest debounce or pulse width accepted: longer would hide real openings and pulses.</summary>
    public static readonly TimeSpan MaxFilter = TimeSpan.FromSeconds(10);

    /// <summary>The longest commit interval accepted: the pulses of one interval are what a power cut can lose.</summary>
    public static readonly TimeSpan MaxCommitInterval = TimeSpan.FromMinutes(1);

    /// <summary>The shortest report interval accepted.</summary>
    public static readonly TimeSpan MinReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>The largest volume per pulse accepted, in litres (meters go up to 1 m³ per pulse).</summary>
    public const double MaxLitresPerPulse = 10_000;

    /// <summary>The highest PWM frequency accepted, in hertz.</summary>
    public const int MaxFrequency = 1_000_000;

    public ValidateOptionsResult Validate(string? name, GpioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var check = new Check();
        const string Section = GpioOptions.SectionName;

        if (!GpioVocabulary.TryParseDriver(options.Driver, out _))
            check.Fail($"{Section}:Driver is '{options.Driver}'; expected {GpioVocabulary.ExpectedDriver}.");
        if (options.Chip < 0)
            check.Fail($"{Section}:Chip is {options.Chip}; expected the number N of /dev/gpiochipN, 0 or more.");
        if (options.CommitInterval < TimeSpan.Zero || options.CommitInterval > MaxCommitInterval)
            check.Fail($"{Section}:CommitInterval is {options.CommitInterval}; expected 0 (every pulse) up to {MaxCommitInterval}, such as 1s.");

        for (var i = 0; i < options.Doors.Count; i++)
            CheckDoor(options.Doors[i], $"{Section}:Doors:{i}", check);
        for (var i = 0; i < options.PulseCounters.Count; i++)
            CheckCounter(options.PulseCounters[i], $"{Section}:PulseCounters:{i}", check);
        for (var i = 0; i < options.Relays.Count; i++)
            CheckRelay(options.Relays[i], $"{Section}:Relays:{i}", check);
        for (var i = 0; i < options.Dimmers.Count; i++)
            CheckDimmer(options.Dimmers[i], $"{Section}:Dimmers:{i}", check);
        var simulated = GpioVocabulary.TryParseDriver(options.Driver, out var driver) && driver == GpioDriverKind.Simulated;
        for (var i = 0; i < options.Simulation.Count; i++)
            CheckSimulatedPin(options.Simulation[i], $"{Section}:Simulation:{i}", simulated, check);

        return check.Failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(check.Failures);
    }

    private static void CheckDoor(DoorContactOptions door, string key, Check check)
    {
        CheckInput(door, key, check);
        CheckDuration(door.Debounce, $"{key}:Debounce", TimeSpan.Zero, check);
        if (!GpioVocabulary.TryParseSeverity(door.Severity, out _))
            check.Fail($"{key}:Severity is '{door.Severity}'; expected {GpioVocabulary.ExpectedSeverity}.");
        check.Point(door.DeviceId, door.Point, $"{key}:Point");
    }

    private static void CheckCounter(PulseCounterOptions counter, string key, Check check)
    {
        CheckInput(counter, key, check);
        var millilitres = counter.LitresPerPulse * 1000;
        if (counter.LitresPerPulse <= 0 || counter.LitresPerPulse > MaxLitresPerPulse)
        {
            check.Fail($"{key}:LitresPerPulse is {Number(counter.LitresPerPulse)}; expected the volume of one pulse in litres, " +
                $"above 0 up to {Number(MaxLitresPerPulse)}, such as 10.");
        }
        else if (Math.Abs(millilitres - Math.Round(millilitres)) > 1e-6)
        {
            check.Fail($"{key}:LitresPerPulse is {Number(counter.LitresPerPulse)}; expected whole millilitres (at most 3 decimals), " +
                "so that totals add up exactly.");
        }

        if (counter.MinPulseWidth <= TimeSpan.Zero)
            check.Fail($"{key}:MinPulseWidth is {counter.MinPulseWidth}; expected a positive duration up to {MaxFilter}, such as 20ms.");
        else
            CheckDuration(counter.MinPulseWidth, $"{key}:MinPulseWidth", TimeSpan.Zero, check);
        if (counter.StartTotal < 0)
            check.Fail($"{key}:StartTotal is {Number(counter.StartTotal)}; expected the meter's register in m³, 0 or more.");
        if (counter.ReportInterval < MinReportInterval)
            check.Fail($"{key}:ReportInterval is {counter.ReportInterval}; expected at least {MinReportInterval}, such as 1m.");
        if (counter.NoFlowAfter <= TimeSpan.Zero)
            check.Fail($"{key}:NoFlowAfter is {counter.NoFlowAfter}; expected a positive duration such as 15m.");
        check.Point(counter.DeviceId, counter.TotalPoint, $"{key}:TotalPoint");
        check.Point(counter.DeviceId, counter.FlowPoint, $"{key}:FlowPoint");
    }

    private static void CheckRelay(RelayOptions relay, string key, Check check)
    {
        check.Name(relay.Name, $"{key}:Name");
        CheckDevice(relay.DeviceId, key, check);
        check.Pin(relay.Pin, $"{key}:Pin");
        if (!GpioVocabulary.TryParseSwitch(relay.SafeState, out _))
            check.Fail($"{key}:SafeState is '{relay.SafeState}'; expected {GpioVocabulary.ExpectedSwitch}.");
        check.Point(relay.DeviceId, relay.Name, $"{key}:Name");
    }

    private static void CheckDimmer(DimmerOptions dimmer, string key, Check check)
    {
        check.Name(dimmer.Name, $"{key}:Name");
        CheckDevice(dimmer.DeviceId, key, check);
        if (dimmer.PwmChip < 0)
            check.Fail($"{key}:PwmChip is {dimmer.PwmChip}; expected the number N of /sys/class/pwm/pwmchipN, 0 or more.");
        if (dimmer.PwmChannel < 0)
            check.Fail($"{key}:PwmChannel is {dimmer.PwmChannel}; expected the channel M of pwmchipN/pwmM, 0 or more.");
        else if (dimmer.PwmChip >= 0 && !check.Channels.TryAdd((dimmer.PwmChip, dimmer.PwmChannel), key))
            check.Fail($"{key}:PwmChannel {dimmer.PwmChannel} of chip {dimmer.PwmChip} is already used by {check.Channels[(dimmer.PwmChip, dimmer.PwmChannel)]}; expected every PWM channel once.");
        if (dimmer.Frequency is < 1 or > MaxFrequency)
            check.Fail($"{key}:Frequency is {dimmer.Frequency}; expected 1..{MaxFrequency} Hz, such as 1000.");

        var rangeValid = true;
        foreach (var (field, value) in new[] { ("Min", dimmer.Min), ("Max", dimmer.Max), ("SafeLevel", dimmer.SafeLevel) })
        {
            if (value is < 0 or > 100)
            {
                check.Fail($"{key}:{field} is {Number(value)}; expected a level 0..100 %.");
                rangeValid = false;
            }
        }

        if (rangeValid && dimmer.Min > dimmer.Max)
            check.Fail($"{key}:Min is {Number(dimmer.Min)}; expected at most {key}:Max ({Number(dimmer.Max)}).");
        else if (rangeValid && (dimmer.SafeLevel < dimmer.Min || dimmer.SafeLevel > dimmer.Max))
            check.Fail($"{key}:SafeLevel is {Number(dimmer.SafeLevel)}; expected a level between {key}:Min ({Number(dimmer.Min)}) and {key}:Max ({Number(dimmer.Max)}).");
        check.Point(dimmer.DeviceId, dimmer.Name, $"{key}:Name");
    }

    private static void CheckSimulatedPin(SimulatedPinOptions pin, string key, bool simulated, Check check)
    {
        if (!simulated)
            check.Fail($"{key} plays a field device on a simulated chip, but {GpioOptions.SectionName}:Driver is not simulated; expected no {GpioOptions.SectionName}:Simulation with real hardware.");
        if (pin.Pin is not { } number)
            check.Fail($"{key}:Pin is missing; expected the pin the simulated device drives.");
        else if (number < 0)
            check.Fail($"{key}:Pin is {number}; expected 0 or more.");
        if (pin.Every <= TimeSpan.Zero)
            check.Fail($"{key}:Every is {pin.Every}; expected a positive duration such as 30s.");
        if (pin.Hold <= TimeSpan.Zero || pin.Hold >= pin.Every)
            check.Fail($"{key}:Hold is {pin.Hold}; expected a positive duration shorter than {key}:Every ({pin.Every}), such as 100ms.");
    }

    private static void CheckInput(GpioInputOptions input, string key, Check check)
    {
        check.Name(input.Name, $"{key}:Name");
        CheckDevice(input.DeviceId, key, check);
        check.Pin(input.Pin, $"{key}:Pin");
        if (!GpioVocabulary.TryParsePull(input.Pull, out _))
            check.Fail($"{key}:Pull is '{input.Pull}'; expected {GpioVocabulary.ExpectedPull}.");
    }

    private static void CheckDevice(string deviceId, string key, Check check)
    {
        if (string.IsNullOrWhiteSpace(deviceId))
            check.Fail($"{key}:DeviceId is missing; expected the unified device code of the device it belongs to, e.g. pole-0001.");
    }

    private static void CheckDuration(TimeSpan value, string key, TimeSpan min, Check check)
    {
        if (value < min || value > MaxFilter)
            check.Fail($"{key} is {value}; expected {min} up to {MaxFilter}, such as 50ms.");
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The failures so far, and what the entries checked so far have taken: names, pins, channels, points.</summary>
    private sealed class Check
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<int, string> _pins = [];
        private readonly Dictionary<(string Device, string Point), string> _points = [];

        public List<string> Failures { get; } = [];

        public Dictionary<(int Chip, int Channel), string> Channels { get; } = [];

        public void Fail(string failure) => Failures.Add(failure);

        public void Name(string name, string key)
        {
            if (string.IsNullOrWhiteSpace(name))
                Fail($"{key} is missing; expected a snake_case name such as cabinet_door.");
            else if (!GpioVocabulary.IsValidName(name))
                Fail($"{key} is '{name}'; expected snake_case: lower-case letters and digits in words joined by single '_', starting with a letter.");
            else if (!_names.TryAdd(name, key))
                Fail($"{key} '{name}' is already used by {_names[name]}; expected every name in the {GpioOptions.SectionName} section once.");
        }

        public void Pin(int? pin, string key)
        {
            if (pin is not { } number)
                Fail($"{key} is missing; expected the pin's line offset on the chip (libgpiod) or its GPIO number (sysfs).");
            else if (number < 0)
                Fail($"{key} is {number}; expected 0 or more.");
            else if (!_pins.TryAdd(number, key))
                Fail($"{key} {number} is already used by {_pins[number]}; expected every pin once.");
        }

        public void Point(string deviceId, string point, string key)
        {
            if (!GpioVocabulary.IsValidName(point))
            {
                // A bad output name is reported once, by Name().
                if (!key.EndsWith(":Name", StringComparison.Ordinal))
                    Fail($"{key} is '{point}'; expected a snake_case point name such as door_open.");
                return;
            }

            if (!string.IsNullOrWhiteSpace(deviceId) && !_points.TryAdd((deviceId, point), key))
                Fail($"{key} '{point}' of device '{deviceId}' is already reported by {_points[(deviceId, point)]}; expected every point of a device once.");
        }
    }
}
